package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.TlsIdentity;
import io.dflow.executor.net.TransportClient;
import io.dflow.executor.net.TransportConf;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local-cluster[2,1]} with {@code dflow.network.crypto.enabled=true}: shuffle jobs give
 * the answers computed here, and while the executors run, the port each serves its shuffle
 * blocks on (found through {@code /proc}) speaks only TLS: it says nothing first (a plain
 * server sends its nonce), answers a TLS ClientHello with a TLS record, and refuses a plain
 * dflow client and a TLS one holding another certificate, each with a line naming the cause.
 * The same probe on a plain cluster gets the plain server's nonce.
 */
class EncryptedTransportEndToEndTest {
  private static final List<String> RECORDS = IntStream.range(0, 60_000)
      .mapToObj(i -> "customer-" + (i * 7919 % 977) + ";card=5500-0000-0000-0004").toList();

  private static final MessageHandler IGNORE = (from, body) -> { };

  @TempDir
  Path dir;

  private Map<String, String> conf(boolean crypto) throws IOException {
    return DflowConf.load(null, Map.of(DflowConf.MASTER, "local-cluster[2,1]",
        DflowConf.LOCAL_DIR, dir.toString(), DflowConf.EVENT_LOG_ENABLED, "false",
        "dflow.executor.classpath", TestJars.executorClasspath(), "dflow.shuffle.partitions", "3",
        DflowConf.NETWORK_CRYPTO, String.valueOf(crypto)));
  }

  @Test
  void shuffleJobsOnEncryptedExecutorsGiveTheReferenceAnswersAndTheirPortsSpeakOnlyTls() throws Exception {
    Map<String, Long> expected = RECORDS.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (Session session = Session.start("tls test", conf(true), JobJar.builtIn(), new PrintStream(err))) {
      JobContext ctx = session.newContext();
      assertEquals(new TreeMap<>(expected),
          new TreeMap<>(ctx.parallelize(RECORDS, Encoders.strings(), 4).countByValue()));
      List<String> shuffled = new ArrayList<>(ctx.parallelize(RECORDS, Encoders.strings(), 4).repartition(3).collect());
      shuffled.sort(null);
      assertEquals(RECORDS.stream().sorted().toList(), shuffled);

      List<Integer> ports = executorPorts();
      assertEquals(2, ports.size(), "one block server per executor: " + ports);
      for (int port : ports) {
        assertSaysNothingFirst(port);
        byte[] answer = answerToAClientHello(port);
        assertArrayEquals(new byte[] {0x16, 0x03, 0x03}, answer, "a TLS 1.2+ handshake record (ServerHello)");

        IOException plain = assertThrows(IOException.class,
            () -> TransportClient.connect("127.0.0.1", port, probeConf(), IGNORE));
        assertTrue(plain.getMessage().contains("dflow.network.crypto.enabled"), plain.getMessage());
        IOException otherCert = assertThrows(IOException.class, () -> TransportClient.connect("127.0.0.1", port,
            probeConf().withTls(TlsIdentity.generate()), IGNORE));
        assertTrue(otherCert.getMessage().contains("is not this application's"), otherCert.getMessage());
      }
      assertFalse(session.executorLosses().contains("lost"), session.executorLosses());
    }
  }

  @Test
  void thePlainClusterStillSpeaksFirstInClear() throws Exception {
    try (Session session = Session.start("plain test", conf(false), JobJar.builtIn(),
        new PrintStream(new ByteArrayOutputStream()))) {
      assertEquals(RECORDS.size(), session.newContext().parallelize(RECORDS, Encoders.strings(), 4).repartition(3).count());
      List<Integer> ports = executorPorts();
      assertEquals(2, ports.size(), "one block server per executor: " + ports);
      for (int port : ports) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
          socket.setSoTimeout(30_000);
          new DataInputStream(socket.getInputStream()).readFully(new byte[32]); // the server's nonce, unasked
        }
      }
    }
  }

  /** Another run's secret: it never gets as far as proving it. */
  private static TransportConf probeConf() {
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    return new TransportConf(secret, TransportConf.DEFAULT_MAX_FRAME_BYTES, TransportConf.DEFAULT_FETCH_CHUNK_BYTES, 2_000);
  }

  private static void assertSaysNothingFirst(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(1_000);
      assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(),
          "a TLS server waits for the client's hello");
    }
  }

  /** The first three bytes a server answers a JDK TLS 1.3 ClientHello with. */
  private static byte[] answerToAClientHello(int port) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(null, null, null);
    SSLEngine engine = tls.createSSLEngine();
    engine.setUseClientMode(true);
    ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), hello);
    hello.flip();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(hello.array(), 0, hello.limit());
      byte[] answer = new byte[3];
      new DataInputStream(socket.getInputStream()).readFully(answer);
      return answer;
    }
  }

  /**
   * The TCP ports this JVM's executor children listen on: the sockets among each one's open files
   * ({@code /proc/PID/fd}) that {@code /proc/PID/net/tcp} lists as listening.
   */
  private static List<Integer> executorPorts() throws IOException {
    List<Integer> ports = new ArrayList<>();
    List<ProcessHandle> executors = ProcessHandle.current().children()
        .filter(p -> p.info().command().orElse("").endsWith("/bin/java")).toList();
    for (ProcessHandle executor : executors) {
      Path proc = Path.of("/proc", String.valueOf(executor.pid()));
      Set<String> inodes = new HashSet<>();
      try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
        for (Path fd : fds.toList()) {
          try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[")) {
              inodes.add(target.substring("socket:[".length(), target.length() - 1));
            }
          } catch (IOException closedMeanwhile) {
            // an fd closed while listed
          }
        }
      }
      for (String table : List.of("tcp", "tcp6")) { // a JVM's IPv4 sockets are often IPv6 ones
        List<String> lines = Files.readAllLines(proc.resolve("net").resolve(table));
        for (String line : lines.subList(1, lines.size())) { // past the header
          String[] f = line.trim().split("\\s+");
          if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A: LISTEN
            ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
          }
        }
      }
    }
    return ports;
  }
}
