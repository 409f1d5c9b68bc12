package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Over real loopback sockets: peers that do not prove the secret are closed before any frame is
 * decoded, and authenticated peers that break the framing rules are closed too.
 */
@ExtendWith(LeakTracker.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TransportSecurityTest {
  private static final long HANDSHAKE_TIMEOUT_MILLIS = 400;

  private final NetTestSupport.RecordingHandler serverHandler = new NetTestSupport.RecordingHandler();
  private final AtomicInteger resolved = new AtomicInteger();
  private TransportServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = TransportServer.start("127.0.0.1", 0, NetTestSupport.conf(NetTestSupport.SECRET, HANDSHAKE_TIMEOUT_MILLIS),
        serverHandler, blockId -> {
          resolved.incrementAndGet();
          throw new IOException("no blocks here");
        });
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private void assertServerDecodedNothing() {
    assertTrue(serverHandler.received.isEmpty(), "server handler never ran");
    assertTrue(serverHandler.closed.isEmpty(), "no authenticated connection ever existed");
    assertEquals(0, resolved.get(), "no fetch was ever decoded");
  }

  @Test
  void silentSocketsPastTheCapAreClosedAtOnceAndAClientStillGetsIn() throws IOException {
    server.close(); // one whose handshakes outlive the test's: none of the silent ones times out meanwhile
    server = TransportServer.start("127.0.0.1", 0, NetTestSupport.conf(NetTestSupport.SECRET, 60_000), serverHandler,
        BlockResolver.NONE);
    java.util.List<Socket> silent = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < HandshakeGate.MAX_PENDING; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        NetTestSupport.readFully(s, Handshake.NONCE_BYTES); // admitted: the server sent its nonce
        silent.add(s);
      }
      try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        long start = System.nanoTime();
        assertEquals(0, NetTestSupport.awaitClosedByPeer(extra, 5_000), "closed without a nonce");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "closed at once, not at the handshake timeout");
      }
    } finally {
      for (Socket s : silent) {
        s.close();
      }
    }
    // the silent ones end (closed or timed out): a real client authenticates again
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try {
        TransportClient.connect("127.0.0.1", server.port(), NetTestSupport.conf(), new NetTestSupport.RecordingHandler())
            .close();
        return;
      } catch (IOException e) {
        last = e;
      }
    }
    throw new AssertionError("no client got in after the flood", last);
  }

  @Test
  void clientWithWrongSecretIsRefused() {
    IOException e = assertThrows(IOException.class, () -> TransportClient.connect("127.0.0.1", server.port(),
        NetTestSupport.conf(NetTestSupport.OTHER_SECRET, 2_000), new NetTestSupport.RecordingHandler()));
    assertTrue(e.getMessage().contains("authentication"), e.getMessage());
    assertTrue(e.getMessage().contains("wrong secret"), e.getMessage());
    assertServerDecodedNothing();
  }

  @Test
  void rawSocketWithWrongProofIsClosedByTheServer() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      NetTestSupport.readFully(socket, Handshake.NONCE_BYTES);
      socket.getOutputStream().write(new byte[Handshake.NONCE_BYTES + Handshake.PROOF_BYTES]);
      assertEquals(0, NetTestSupport.awaitClosedByPeer(socket, 5_000), "server closed without answering");
    }
    assertServerDecodedNothing();
  }

  @Test
  void rawSocketSendingAHugeFrameWithoutAuthenticatingIsClosed() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      NetTestSupport.readFully(socket, Handshake.NONCE_BYTES);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(Integer.MAX_VALUE);
      out.writeByte(Wire.CONTROL);
      out.write(new byte[8192]);
      out.flush();
      NetTestSupport.awaitClosedByPeer(socket, 5_000);
    }
    assertServerDecodedNothing();
  }

  @Test
  void rawSocketSendingGarbageStraightAwayIsClosed() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(20).getBytes());
      long answered = NetTestSupport.awaitClosedByPeer(socket, 5_000);
      assertTrue(answered <= Handshake.NONCE_BYTES, "at most the server nonce was sent: " + answered);
    }
    assertServerDecodedNothing();
  }

  @Test
  void silentConnectionIsClosedAfterTheHandshakeTimeout() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      long start = System.nanoTime();
      assertEquals(Handshake.NONCE_BYTES, NetTestSupport.awaitClosedByPeer(socket, 5_000));
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(waitedMillis >= HANDSHAKE_TIMEOUT_MILLIS - 50, "closed after " + waitedMillis + " ms");
    }
    assertServerDecodedNothing();
  }

  @Test
  void silentServerMakesConnectFailWithATimeout() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      IOException e = assertThrows(IOException.class, () -> TransportClient.connect("127.0.0.1", silent.getLocalPort(),
          NetTestSupport.conf(NetTestSupport.SECRET, 300), new NetTestSupport.RecordingHandler()));
      assertTrue(e.getMessage().contains("within 300 ms"), e.getMessage());
    }
  }

  @Test
  void refusedConnectionSaysSo() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    IOException e = assertThrows(IOException.class, () -> TransportClient.connect("127.0.0.1", port,
        NetTestSupport.conf(), new NetTestSupport.RecordingHandler()));
    assertTrue(e.getMessage().toLowerCase().contains("refused"), e.getMessage());
  }

  @Test
  void oversizedFrameAfterAuthClosesTheConnection() throws IOException {
    try (Socket socket = NetTestSupport.rawAuthenticatedSocket(server.port(), NetTestSupport.SECRET)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(10 << 20);
      out.writeByte(Wire.CONTROL);
      try {
        out.write(new byte[1024]);
        out.flush();
      } catch (java.net.SocketException closed) {
        // the server may close on the length alone, before the rest is written: what is tested
      }
      NetTestSupport.awaitClosedByPeer(socket, 5_000);
    }
    assertTrue(serverHandler.received.isEmpty());
    waitFor(() -> serverHandler.closed.size() == 1);
  }

  @Test
  void clientWithABiggerFrameLimitIsCutOffWhenItUsesIt() throws Exception {
    TransportConf generous = new TransportConf(NetTestSupport.SECRET, 1 << 20, 16 * 1024, 2_000);
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(), generous,
        new NetTestSupport.RecordingHandler())) {
      client.send(new byte[200 * 1024]);
      client.connection().closeFuture().get(5, TimeUnit.SECONDS);
      assertFalse(client.connection().isOpen());
    }
    assertTrue(serverHandler.received.isEmpty());
  }

  @Test
  void tooBigControlMessageIsRefusedBeforeSending() throws IOException {
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(),
        NetTestSupport.conf(), new NetTestSupport.RecordingHandler())) {
      assertThrows(IllegalArgumentException.class, () -> client.send(new byte[64 * 1024]));
      assertTrue(client.connection().isOpen());
    }
  }

  @Test
  void garbageFromAnAuthenticatedPeerClosesTheConnection() throws IOException {
    try (Socket socket = NetTestSupport.rawAuthenticatedSocket(server.port(), NetTestSupport.SECRET)) {
      OutputStream out = socket.getOutputStream();
      out.write(new byte[] {0, 0, 0, 2, 99, 0});
      out.flush();
      NetTestSupport.awaitClosedByPeer(socket, 5_000);
    }
    assertTrue(serverHandler.received.isEmpty());
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met in time");
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
