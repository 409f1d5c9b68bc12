package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both handshake handlers through EmbeddedChannel: the happy path, and every way a peer that
 * does not hold the secret is turned away before a frame decoder exists.
 */
@ExtendWith(LeakTracker.class)
class HandshakeHandlerTest {
  private static final TransportConf CONF = NetTestSupport.conf(NetTestSupport.SECRET, 1_000);

  private final NetTestSupport.RecordingHandler serverHandler = new NetTestSupport.RecordingHandler();
  private final NetTestSupport.RecordingHandler clientHandler = new NetTestSupport.RecordingHandler();
  private final CompletableFuture<Void> clientAuthenticated = new CompletableFuture<>();

  private EmbeddedChannel server() {
    return new EmbeddedChannel(new ServerChannelInitializer(CONF, serverHandler, BlockResolver.NONE, null));
  }

  private EmbeddedChannel client(TransportConf conf) {
    return new EmbeddedChannel(new ClientChannelInitializer(conf, clientHandler, clientAuthenticated));
  }

  /** Moves bytes both ways until neither side has anything more to say. */
  private static void shuttle(EmbeddedChannel a, EmbeddedChannel b) {
    boolean moved = true;
    while (moved) {
      moved = move(a, b) | move(b, a);
    }
    // like TCP: when one end closes, the other sees the connection go away
    if (a.isOpen() != b.isOpen()) {
      (a.isOpen() ? a : b).close();
    }
  }

  private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (Object msg; (msg = from.readOutbound()) != null; ) {
      moved = true;
      if (to.isOpen()) {
        to.writeInbound(msg);
      } else {
        ((ByteBuf) msg).release();
      }
    }
    return moved;
  }

  private static byte[] readNonce(EmbeddedChannel server) {
    ByteBuf nonce = server.readOutbound();
    assertNotNull(nonce, "server sends its nonce first");
    assertEquals(Handshake.NONCE_BYTES, nonce.readableBytes());
    byte[] bytes = ByteBufUtil.getBytes(nonce);
    nonce.release();
    return bytes;
  }

  private static void assertUnauthenticated(EmbeddedChannel server) {
    assertFalse(server.isOpen(), "server closed the connection");
    assertNull(server.pipeline().get("frameDecoder"), "no frame decoder was ever installed");
    assertNull(server.pipeline().get("control"));
  }

  @Test
  void matchingSecretsAuthenticateBothWaysAndInstallTheFramedPipeline() {
    EmbeddedChannel server = server();
    EmbeddedChannel client = client(CONF);
    shuttle(server, client);

    assertTrue(clientAuthenticated.isDone() && !clientAuthenticated.isCompletedExceptionally());
    for (EmbeddedChannel ch : List.of(server, client)) {
      assertTrue(ch.isOpen());
      assertNull(ch.pipeline().get("handshake"));
      assertNotNull(ch.pipeline().get("frameDecoder"));
    }

    Connection.of(client).send("ping".getBytes(StandardCharsets.UTF_8));
    Connection.of(server).send("pong".getBytes(StandardCharsets.UTF_8));
    shuttle(server, client);
    assertArrayEquals("ping".getBytes(StandardCharsets.UTF_8), serverHandler.received.get(0));
    assertArrayEquals("pong".getBytes(StandardCharsets.UTF_8), clientHandler.received.get(0));

    server.finishAndReleaseAll();
    client.finishAndReleaseAll();
    assertEquals(1, serverHandler.closed.size());
  }

  @Test
  void wrongSecretIsRefusedByTheServerAndNothingIsDecoded() {
    EmbeddedChannel server = server();
    EmbeddedChannel client = client(NetTestSupport.conf(NetTestSupport.OTHER_SECRET, 1_000));
    shuttle(server, client);

    assertUnauthenticated(server);
    assertTrue(clientAuthenticated.isCompletedExceptionally());
    assertTrue(serverHandler.received.isEmpty() && serverHandler.closed.isEmpty());
    client.finishAndReleaseAll();
  }

  @Test
  void serverWithTheWrongSecretIsRefusedByTheClient() {
    EmbeddedChannel server = new EmbeddedChannel(new ServerChannelInitializer(
        NetTestSupport.conf(NetTestSupport.OTHER_SECRET, 1_000), serverHandler, BlockResolver.NONE, null));
    EmbeddedChannel client = client(CONF);
    shuttle(server, client);

    assertFalse(client.isOpen());
    assertNull(client.pipeline().get("frameDecoder"));
    assertTrue(clientAuthenticated.isCompletedExceptionally());
    server.finishAndReleaseAll();
  }

  @Test
  void hugeLengthPrefixBeforeAuthIsJustWrongBytes() {
    EmbeddedChannel server = server();
    readNonce(server);
    ByteBuf garbage = Unpooled.buffer().writeInt(Integer.MAX_VALUE).writeByte(Wire.CONTROL).writeZero(200);
    server.writeInbound(garbage);

    assertEquals(0, garbage.refCnt(), "the handshake handler released what it read");
    assertUnauthenticated(server);
    assertNull(server.readInbound());
    assertTrue(serverHandler.received.isEmpty());
  }

  @Test
  void validProofWithExtraBytesInTheSameReadIsRefused() {
    EmbeddedChannel server = server();
    byte[] serverNonce = readNonce(server);
    byte[] clientNonce = Handshake.newNonce();
    byte[] proof = Handshake.clientProof(NetTestSupport.SECRET, serverNonce, clientNonce);
    server.writeInbound(Unpooled.wrappedBuffer(clientNonce, proof, new byte[] {0, 0, 0, 1, Wire.CONTROL}));

    assertUnauthenticated(server);
    assertTrue(serverHandler.received.isEmpty());
  }

  @Test
  void proofSplitAcrossReadsIsAccepted() {
    EmbeddedChannel server = server();
    byte[] serverNonce = readNonce(server);
    byte[] clientNonce = Handshake.newNonce();
    ByteBuf answer = Unpooled.wrappedBuffer(clientNonce, Handshake.clientProof(NetTestSupport.SECRET, serverNonce, clientNonce));
    while (answer.isReadable()) {
      server.writeInbound(answer.readRetainedSlice(Math.min(7, answer.readableBytes())));
    }
    answer.release();

    ByteBuf serverProof = server.readOutbound();
    assertArrayEquals(Handshake.serverProof(NetTestSupport.SECRET, clientNonce, serverNonce), ByteBufUtil.getBytes(serverProof));
    serverProof.release();
    assertTrue(server.isOpen());
    assertNotNull(server.pipeline().get("frameDecoder"));
    server.finishAndReleaseAll();
  }

  @Test
  void silentPeerIsClosedAfterTheHandshakeTimeout() {
    EmbeddedChannel server = server();
    // Frozen, the channel's clock moves only when told; the timeout was armed a moment before
    // freezing, so allow a little real time on either side of the deadline.
    server.freezeTime();
    readNonce(server);
    server.advanceTimeBy(CONF.handshakeTimeoutMillis() - 50, TimeUnit.MILLISECONDS);
    server.runScheduledPendingTasks();
    assertTrue(server.isOpen());
    server.advanceTimeBy(100, TimeUnit.MILLISECONDS);
    server.runScheduledPendingTasks();
    assertUnauthenticated(server);
  }

  @Test
  void framesRightBehindTheServerProofReachTheClientHandler() {
    EmbeddedChannel client = client(CONF);
    byte[] serverNonce = Handshake.newNonce();
    client.writeInbound(Unpooled.wrappedBuffer(serverNonce));
    ByteBuf answer = client.readOutbound();
    byte[] clientNonce = ByteBufUtil.getBytes(answer, 0, Handshake.NONCE_BYTES);
    byte[] clientProof = ByteBufUtil.getBytes(answer, Handshake.NONCE_BYTES, Handshake.PROOF_BYTES);
    answer.release();
    assertArrayEquals(Handshake.clientProof(NetTestSupport.SECRET, serverNonce, clientNonce), clientProof);

    ByteBuf frame = MessageEncoder.encode(ByteBufAllocator.DEFAULT, new Message.Control(new byte[] {42}));
    client.writeInbound(Unpooled.wrappedBuffer(
        Unpooled.wrappedBuffer(Handshake.serverProof(NetTestSupport.SECRET, clientNonce, serverNonce)), frame));

    assertTrue(clientAuthenticated.isDone() && !clientAuthenticated.isCompletedExceptionally());
    assertArrayEquals(new byte[] {42}, clientHandler.received.get(0));
    client.finishAndReleaseAll();
  }

  @Test
  void clientRefusesBytesBeyondTheServerNonce() {
    EmbeddedChannel client = client(CONF);
    client.writeInbound(Unpooled.wrappedBuffer(Handshake.newNonce(), new byte[] {1}));
    assertFalse(client.isOpen());
    assertTrue(clientAuthenticated.isCompletedExceptionally());
    client.finishAndReleaseAll();
  }
}
