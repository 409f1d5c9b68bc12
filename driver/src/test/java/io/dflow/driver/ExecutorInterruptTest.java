package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C at a terminal signals the whole process group, executor JVMs included: they ignore
 * SIGINT (the driver decides what it means: a shell cancels the job and keeps its executors), so
 * an executor sent one stays up and the session's next job runs with every executor.
 */
class ExecutorInterruptTest {
  @TempDir
  Path dir;

  @Test
  void executorsIgnoreSigintAndTheSessionKeepsThem() throws Exception {
    Map<String, String> conf = DflowConf.load(null, Map.of(DflowConf.MASTER, "local-cluster[2,1]",
        DflowConf.LOCAL_DIR, dir.toString(), DflowConf.EVENT_LOG_ENABLED, "false",
        "dflow.executor.classpath", TestJars.executorClasspath()));
    try (Session session = Session.start("interrupt test", conf, JobJar.builtIn(),
        new PrintStream(new ByteArrayOutputStream()))) {
      // this JVM's only children are the executors (their long command lines are not always readable)
      List<ProcessHandle> executors = ProcessHandle.current().children()
          .filter(p -> p.info().command().orElse("").endsWith("/bin/java")).toList();
      assertEquals(2, executors.size(), "two executor JVMs");
      for (ProcessHandle executor : executors) {
        // SigIgn is the mask of ignored signals; SIGINT (2) is its bit 1
        String ignored = Files.readAllLines(Path.of("/proc", String.valueOf(executor.pid()), "status")).stream()
            .filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow().substring("SigIgn:".length()).trim();
        assertTrue((Long.parseUnsignedLong(ignored, 16) & 0x2) != 0, "executor " + executor.pid() + " ignores SIGINT");
        assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(executor.pid())).start().waitFor());
      }
      JobContext ctx = session.newContext();
      assertEquals(4, ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 2).count());
      assertTrue(executors.stream().allMatch(ProcessHandle::isAlive), "no executor ended");
      assertFalse(session.executorLosses().contains("lost"), session.executorLosses());
    }
  }
}
