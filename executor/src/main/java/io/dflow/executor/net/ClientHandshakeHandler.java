package io.dflow.executor.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The client side of the handshake (see {@link Handshake}): reads exactly the server's nonce
 * (32 bytes), sends its own nonce and proof, then reads exactly the server's proof (32 bytes)
 * and checks it in constant time. Bytes behind a verified server proof are already frames from
 * an authenticated server and go on to the frame decoder.
 *
 * <p>Completes {@code result} when the pipeline is ready, or exceptionally with an
 * {@link IOException} saying why the handshake failed.
 */
final class ClientHandshakeHandler extends HandshakeHandler {
  private final TransportConf conf;
  private final CompletableFuture<Void> result;
  private byte[] serverNonce;
  private byte[] clientNonce;

  ClientHandshakeHandler(TransportConf conf, Consumer<Channel> installPipeline, CompletableFuture<Void> result) {
    super(conf, installPipeline);
    this.conf = conf;
    this.result = result;
  }

  @Override
  protected void start(ChannelHandlerContext ctx) {
    expect(Handshake.NONCE_BYTES);
  }

  @Override
  protected boolean trailingBytesAllowed() {
    return clientNonce != null;
  }

  @Override
  protected void fieldReceived(ChannelHandlerContext ctx, byte[] field) {
    byte[] secret = conf.secret();
    try {
      if (serverNonce == null) {
        serverNonce = field;
        clientNonce = Handshake.newNonce();
        byte[] proof = Handshake.clientProof(secret, serverNonce, clientNonce);
        expect(Handshake.PROOF_BYTES);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(clientNonce.clone(), proof))
            .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      } else if (Handshake.matches(Handshake.serverProof(secret, clientNonce, serverNonce), field)) {
        succeed(ctx);
      } else {
        fail(ctx, "sent a wrong proof (wrong secret?)");
      }
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  @Override
  protected void authenticated(ChannelHandlerContext ctx) {
    result.complete(null);
  }

  @Override
  protected void failed(ChannelHandlerContext ctx, String reason) {
    boolean refused = clientNonce != null && (reason.startsWith("closed") || reason.startsWith("caused"));
    String hint = refused ? " after our proof (wrong secret?)"
        : serverNonce == null && !encrypted() && (reason.startsWith("did not authenticate") || reason.equals(CLOSED_BY_PEER))
        ? " (it sent nothing: a server that speaks TLS? " + CRYPTO_MISMATCH + ")" : "";
    result.completeExceptionally(new IOException("authentication with " + ctx.channel().remoteAddress()
        + " failed: server " + reason + hint));
  }
}
