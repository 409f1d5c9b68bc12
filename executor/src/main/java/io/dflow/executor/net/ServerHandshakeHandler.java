package io.dflow.executor.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The server side of the handshake (see {@link Handshake}): sends a nonce, reads exactly the
 * client's nonce and proof (64 bytes), checks the proof in constant time and answers with its
 * own proof. The client must wait for that answer before sending frames, so any byte behind the
 * proof is a violation and closes the connection.
 */
final class ServerHandshakeHandler extends HandshakeHandler {
  private final TransportConf conf;
  private final HandshakeGate gate;
  private byte[] serverNonce;

  /** @param gate admitted this connection; told when its handshake ends, and logs its failure */
  ServerHandshakeHandler(TransportConf conf, HandshakeGate gate, Consumer<Channel> installPipeline) {
    super(conf, installPipeline);
    this.conf = conf;
    this.gate = gate;
  }

  @Override
  protected void authenticated(ChannelHandlerContext ctx) {
    gate.ended();
  }

  @Override
  protected void failed(ChannelHandlerContext ctx, String reason) {
    gate.ended();
    if (!reason.equals(CLOSED_BY_PEER)) {
      gate.failed(ctx.channel().remoteAddress(), reason);
    } // a peer that only hung up (a port probe, an executor stopped as the driver shuts down) proved nothing wrong
  }

  @Override
  protected void start(ChannelHandlerContext ctx) {
    serverNonce = Handshake.newNonce();
    expect(Handshake.NONCE_BYTES + Handshake.PROOF_BYTES);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(serverNonce.clone()))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  @Override
  protected void fieldReceived(ChannelHandlerContext ctx, byte[] field) {
    byte[] clientNonce = Arrays.copyOfRange(field, 0, Handshake.NONCE_BYTES);
    byte[] proof = Arrays.copyOfRange(field, Handshake.NONCE_BYTES, field.length);
    byte[] secret = conf.secret();
    try {
      if (!Handshake.matches(Handshake.clientProof(secret, serverNonce, clientNonce), proof)) {
        fail(ctx, "sent a wrong proof (wrong secret?)");
        return;
      }
      ctx.writeAndFlush(Unpooled.wrappedBuffer(Handshake.serverProof(secret, clientNonce, serverNonce)))
          .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    succeed(ctx);
  }
}
