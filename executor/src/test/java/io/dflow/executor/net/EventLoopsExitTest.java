package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process that used the transport and then calls {@link EventLoops#shutdownForExit} has no
 * I/O thread left, so its JVM does not wait on threads parked in native code when it exits. Run
 * in a JVM of its own: the event loop group is process-wide, and other tests here share it.
 */
class EventLoopsExitTest {
  @Test
  void afterShutdownForExitNoIoThreadIsAlive() throws IOException, InterruptedException {
    String java = String.join(File.separator, System.getProperty("java.home"), "bin", "java");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child = new ProcessBuilder(java, "-cp", classpath, Child.class.getName())
        .redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    child.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, child.exitValue(), output);
    assertEquals("I/O threads before: some; after: []", output.strip());
  }

  /** Connects a client to a server, closes both, shuts the loops down, reports the I/O threads. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      TransportConf conf = NetTestSupport.conf();
      try (TransportServer server = TransportServer.start("127.0.0.1", 0, conf, new NetTestSupport.RecordingHandler(),
              BlockResolver.NONE);
          TransportClient client = TransportClient.connect("127.0.0.1", server.port(), conf,
              new NetTestSupport.RecordingHandler())) {
        client.send(new byte[] {1});
      }
      String before = ioThreads().isEmpty() ? "none" : "some";
      EventLoops.shutdownForExit();
      // A loop's termination is signalled just before its thread returns: allow it that moment.
      for (int i = 0; i < 100 && !ioThreads().isEmpty(); i++) {
        Thread.sleep(10);
      }
      System.out.println("I/O threads before: " + before + "; after: " + ioThreads());
    }

    private static List<String> ioThreads() {
      return Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && t.getName().startsWith("dflow-net"))
          .map(Thread::getName).sorted().toList();
    }
  }
}
