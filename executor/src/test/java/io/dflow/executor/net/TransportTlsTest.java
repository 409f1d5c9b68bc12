package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS under the secret's handshake, over real loopback sockets: fetches of a block bigger than
 * many fetch chunks (read from its file, not sent zero-copy) and control messages, seen through
 * a relay that keeps the bytes on the wire (TLS records, no record in clear); and the refusals,
 * each with one line saying why: another application's certificate, a plain peer of a TLS
 * server, a TLS peer of a plain server.
 */
@ExtendWith(LeakTracker.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportTlsTest {
  private static final TlsIdentity APP = TlsIdentity.generate();
  private static final TlsIdentity OTHER = TlsIdentity.generate();
  /** What a shuffle record would hold: a string to look for on the wire. */
  private static final byte[] MARKER = "record:customer-4711;card=5500-0000-0000-0004".getBytes(StandardCharsets.US_ASCII);
  private static final int CHUNK = 256 * 1024;
  private static final int BIG = 9 * CHUNK + 12_345;

  @TempDir
  Path dir;
  private TransportServer server;
  private final BlockingQueue<String> serverReceived = new LinkedBlockingQueue<>();

  private static TransportConf plain(long handshakeMillis) {
    return new TransportConf(NetTestSupport.SECRET, CHUNK + 1024, CHUNK, handshakeMillis);
  }

  private static TransportConf tls(TlsIdentity identity, long handshakeMillis) {
    return plain(handshakeMillis).withTls(identity);
  }

  /** A block of random bytes with the marker repeated through it, in a file at offset 7. */
  private byte[] startServer(TransportConf conf) throws IOException {
    byte[] block = new byte[BIG];
    new Random(7).nextBytes(block);
    for (int at = 0; at + MARKER.length <= BIG; at += 4096) {
      System.arraycopy(MARKER, 0, block, at, MARKER.length);
    }
    byte[] file = new byte[BIG + 7];
    System.arraycopy(block, 0, file, 7, BIG);
    Path path = Files.write(dir.resolve("map-output.data"), file);
    MessageHandler echo = (from, body) -> {
      serverReceived.add(new String(body, StandardCharsets.UTF_8));
      from.send(body);
    };
    server = TransportServer.start("127.0.0.1", 0, conf, echo, blockId -> switch (blockId) {
      case "file" -> new BlockRegion(path, 7, BIG);
      case "heap" -> new HeapBlock(block, 100_000);
      default -> throw new IOException("unknown block " + blockId);
    });
    return block;
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void fetchesAndControlMessagesCrossTheWireEncrypted() throws Exception {
    byte[] block = startServer(tls(APP, 5_000));
    try (Relay relay = new Relay(server.port());
         TransportClient client = TransportClient.connect("127.0.0.1", relay.port(), tls(APP, 5_000),
             new NetTestSupport.RecordingHandler())) {
      assertArrayEquals(block, client.fetch("file").get(30, TimeUnit.SECONDS));
      assertArrayEquals(Arrays.copyOf(block, 100_000), client.fetch("heap").get(30, TimeUnit.SECONDS));
      client.send(MARKER).get(5, TimeUnit.SECONDS);
      assertEquals(new String(MARKER, StandardCharsets.US_ASCII), serverReceived.poll(10, TimeUnit.SECONDS));

      byte[] toServer = relay.toServer();
      byte[] toClient = relay.toClient();
      assertTrue(toClient.length > BIG, "the whole block crossed the relay: " + toClient.length + " bytes");
      // a TLS handshake record (22) of TLS 1.x each way: ClientHello, then ServerHello
      assertArrayEquals(new byte[] {0x16, 0x03}, Arrays.copyOf(toServer, 2));
      assertArrayEquals(new byte[] {0x16, 0x03, 0x03}, Arrays.copyOf(toClient, 3));
      assertEquals(-1, indexOf(toClient, MARKER), "no record in clear from the server");
      assertEquals(-1, indexOf(toServer, MARKER), "no record in clear from the client");
    }
  }

  @Test
  void anOpenSslEndAndAJdkEndTalkToEachOtherEncrypted() throws Exception {
    assertTrue(OpenSsl.isAvailable(), "BoringSSL (netty-tcnative-boringssl-static) loads here: " + OpenSsl.unavailabilityCause());
    assertEquals("OPENSSL", APP.engine(), "the default engine where BoringSSL loads");
    TlsIdentity jdk = APP.withProvider(SslProvider.JDK);
    assertEquals(APP, jdk, "same key and certificate, another engine");
    for (TlsIdentity[] ends : new TlsIdentity[][] {{APP, jdk}, {jdk, APP}}) {
      byte[] block = startServer(tls(ends[0], 5_000));
      try (Relay relay = new Relay(server.port());
           TransportClient client = TransportClient.connect("127.0.0.1", relay.port(), tls(ends[1], 5_000),
               new NetTestSupport.RecordingHandler())) {
        assertArrayEquals(block, client.fetch("file").get(30, TimeUnit.SECONDS), "server " + ends[0].engine());
        client.send(MARKER).get(5, TimeUnit.SECONDS);
        assertEquals(new String(MARKER, StandardCharsets.US_ASCII), serverReceived.poll(10, TimeUnit.SECONDS));
        assertTrue(relay.toClient().length > BIG, "the whole block crossed the relay");
        assertEquals(-1, indexOf(relay.toClient(), MARKER), "no record in clear from the server");
      }
      server.close();
      server = null;
    }
  }

  @Test
  void thePlainTransportCarriesTheSameRecordsInClear() throws Exception {
    byte[] block = startServer(plain(5_000));
    try (Relay relay = new Relay(server.port());
         TransportClient client = TransportClient.connect("127.0.0.1", relay.port(), plain(5_000),
             new NetTestSupport.RecordingHandler())) {
      assertArrayEquals(block, client.fetch("file").get(30, TimeUnit.SECONDS));
      assertTrue(indexOf(relay.toClient(), MARKER) >= 0, "the relay sees plain records, so the check above means something");
    }
  }

  @Test
  void aPeerWithAnotherApplicationsCertificateIsRefused() throws Exception {
    startServer(tls(APP, 5_000));
    String log = serverLog(() -> {
      IOException e = assertThrows(IOException.class, () -> TransportClient.connect("127.0.0.1", server.port(),
          tls(OTHER, 5_000), new NetTestSupport.RecordingHandler()));
      assertTrue(e.getMessage().contains("TLS handshake"), e.getMessage());
      assertTrue(e.getMessage().contains("is not this application's"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    });
    assertTrue(log.contains("before authentication: peer failed the TLS handshake"), log);
    assertTrue(serverReceived.isEmpty());
  }

  @Test
  void aPlainPeerOfATlsServerIsRefusedAtTheHandshakeTimeout() throws Exception {
    startServer(tls(APP, 500)); // the server gives up first, and says so
    String log = serverLog(() -> {
      IOException e = assertThrows(IOException.class, () -> TransportClient.connect("127.0.0.1", server.port(),
          plain(10_000), new NetTestSupport.RecordingHandler()));
      assertTrue(e.getMessage().contains("it sent nothing"), e.getMessage());
      assertTrue(e.getMessage().contains("dflow.network.crypto.enabled"), e.getMessage());
    });
    assertTrue(log.contains("before authentication: peer did not complete a TLS handshake"), log);
    assertTrue(log.contains("dflow.network.crypto.enabled"), log);
  }

  @Test
  void aTlsPeerOfAPlainServerIsRefusedAtOnce() throws Exception {
    startServer(plain(5_000));
    String log = serverLog(() -> {
      IOException e = assertThrows(IOException.class, () -> TransportClient.connect("127.0.0.1", server.port(),
          tls(APP, 5_000), new NetTestSupport.RecordingHandler()));
      assertTrue(e.getMessage().contains("does not speak TLS"), e.getMessage());
      assertTrue(e.getMessage().contains("dflow.network.crypto.enabled"), e.getMessage());
    });
    assertTrue(log.contains("it speaks TLS"), log);
  }

  @Test
  void theKeyMaterialSurvivesItsEncodingAndTheCertificateIsSelfSigned() throws Exception {
    TlsIdentity copy = TlsIdentity.decode(APP.encode());
    assertEquals(APP, copy);
    X509Certificate cert = copy.certificate();
    cert.verify(cert.getPublicKey());
    cert.checkValidity();
    assertEquals(3, cert.getVersion());
    assertEquals("SHA256withECDSA", cert.getSigAlgName());
    assertEquals("CN=dflow application", cert.getSubjectX500Principal().getName());
    assertFalse(APP.equals(OTHER));
    // the decoded key works: a client holding the copy is let in
    byte[] block = startServer(tls(APP, 5_000));
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(), tls(copy, 5_000),
        new NetTestSupport.RecordingHandler())) {
      assertArrayEquals(block, client.fetch("file").get(30, TimeUnit.SECONDS));
    }
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> TlsIdentity.decode(new byte[] {0, 0, 0, 4, 1, 2, 3, 4}));
    assertTrue(bad.getMessage().startsWith("the application's TLS key material is unreadable"), bad.getMessage());
  }

  /** What this JVM's log said (on stderr) while {@code body} ran, once the server had time to log. */
  private static String serverLog(ThrowingRunnable body) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
    try {
      body.run();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!copy.toString(StandardCharsets.UTF_8).contains("before authentication") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } finally {
      System.setErr(original);
    }
    return copy.toString(StandardCharsets.UTF_8);
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
