package io.dflow.executor.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common part of both handshake handlers: reads fixed-size fields and nothing else, enforces
 * the timeout, and swaps itself for the real pipeline on success.
 *
 * <p>While it runs it is the only handler in the pipeline but the TLS handler (whose failure,
 * reported as an event, fails this handshake too, with the reason in one line). It copies
 * inbound bytes into a field array whose size it chose itself, so a peer's bytes never size an
 * allocation and no length from the peer is trusted. A field completed with more bytes behind
 * it in the same read means the peer did not wait for our reply, which is a protocol violation,
 * except after the very last field where a subclass may allow trailing (authenticated) frames.
 * A failure logs one WARN with the remote address and closes the connection.
 *
 * <p>States: {@code NEW → RUNNING → (SUCCEEDED | FAILED)}. All on the channel's event loop.
 */
abstract class HandshakeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);
  /** Why a handshake failed when the peer closed its connection before it ended. */
  static final String CLOSED_BY_PEER = "closed the connection during the handshake";
  /** What to check when one end speaks TLS and the other does not. */
  static final String CRYPTO_MISMATCH = "is dflow.network.crypto.enabled the same on both ends?";

  private enum State { NEW, RUNNING, SUCCEEDED, FAILED }

  private final long timeoutMillis;
  private final boolean encrypted;
  private final Consumer<Channel> installPipeline;
  /** The peer's first bytes, to tell a TLS peer of a plain end why it failed. */
  private final byte[] firstBytes = new byte[3];
  private int firstFilled;
  private State state = State.NEW;
  private byte[] field;
  private int filled;
  private ScheduledFuture<?> timeout;

  /**
   * @param installPipeline adds the post-authentication handlers to the end of the pipeline
   */
  HandshakeHandler(TransportConf conf, Consumer<Channel> installPipeline) {
    this.timeoutMillis = conf.handshakeTimeoutMillis();
    this.encrypted = conf.encrypted();
    this.installPipeline = installPipeline;
  }

  /** Called once when the connection is active: send the first field or {@link #expect} one. */
  protected abstract void start(ChannelHandlerContext ctx);

  /** A whole field arrived: verify it, then {@link #expect} the next, {@link #succeed} or {@link #fail}. */
  protected abstract void fieldReceived(ChannelHandlerContext ctx, byte[] field);

  /** Whether bytes may follow the field just completed in the same read (only after success). */
  protected boolean trailingBytesAllowed() {
    return false;
  }

  /** Called after the pipeline has been swapped. */
  protected void authenticated(ChannelHandlerContext ctx) {}

  /** Called once when the handshake fails, before the channel closes: logs one WARN unless overridden. */
  protected void failed(ChannelHandlerContext ctx, String reason) {
    LOG.warn("closing connection {} before authentication: peer {}", ctx.channel().remoteAddress(), reason);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      begin(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    begin(ctx);
    ctx.fireChannelActive();
  }

  private void begin(ChannelHandlerContext ctx) {
    if (state != State.NEW) {
      return;
    }
    state = State.RUNNING;
    timeout = ctx.executor().schedule(
        () -> fail(ctx, timedOut(ctx)), timeoutMillis, TimeUnit.MILLISECONDS);
    start(ctx);
  }

  protected final void expect(int bytes) {
    field = new byte[bytes];
    filled = 0;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state != State.RUNNING || !(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      if (state == State.RUNNING) {
        fail(ctx, "unexpected inbound message " + msg.getClass().getSimpleName());
      }
      return;
    }
    for (int i = 0; firstFilled < firstBytes.length && i < buf.readableBytes(); i++) {
      firstBytes[firstFilled++] = buf.getByte(buf.readerIndex() + i);
    }
    boolean handedOn = false;
    try {
      while (buf.isReadable() && state == State.RUNNING) {
        if (field == null) {
          fail(ctx, "sent bytes out of turn");
          return;
        }
        int n = Math.min(buf.readableBytes(), field.length - filled);
        buf.readBytes(field, filled, n);
        filled += n;
        if (filled == field.length) {
          byte[] complete = field;
          field = null;
          if (buf.isReadable() && !trailingBytesAllowed()) {
            fail(ctx, "sent " + buf.readableBytes() + " unexpected bytes during the handshake");
            return;
          }
          fieldReceived(ctx, complete);
        }
      }
      if (state == State.SUCCEEDED) {
        if (buf.isReadable()) {
          handedOn = true;
          ctx.fireChannelRead(buf);
        }
        ctx.pipeline().remove(this);
        authenticated(ctx);
      }
    } finally {
      if (!handedOn) {
        buf.release();
      }
    }
  }

  /** Marks success and installs the real pipeline behind this handler. */
  protected final void succeed(ChannelHandlerContext ctx) {
    state = State.SUCCEEDED;
    cancelTimeout();
    installPipeline.accept(ctx.channel());
    LOG.debug("authenticated connection {}", ctx.channel().remoteAddress());
  }

  /** Notifies the subclass (which logs) and closes the connection. */
  protected final void fail(ChannelHandlerContext ctx, String reason) {
    if (state == State.SUCCEEDED || state == State.FAILED) {
      return;
    }
    state = State.FAILED;
    field = null;
    cancelTimeout();
    failed(ctx, !encrypted && spokeTls() && !reason.equals(CLOSED_BY_PEER)
        ? reason + " (it speaks TLS: " + CRYPTO_MISMATCH + ")" : reason);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(ctx, CLOSED_BY_PEER);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, "caused an error during the handshake: " + cause);
  }

  /** A failed TLS handshake fails this one, saying why in a line. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      fail(ctx, tlsFailure(done.cause()));
    }
    ctx.fireUserEventTriggered(event);
  }

  /** Why a TLS handshake failed, as the end of a sentence whose subject is the peer. */
  static String tlsFailure(Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof NotSslRecordException) {
      return "does not speak TLS (" + CRYPTO_MISMATCH + ")";
    }
    if (c instanceof SslHandshakeTimeoutException) {
      return "did not complete a TLS handshake in time (" + CRYPTO_MISMATCH + ")";
    }
    if (c instanceof ClosedChannelException) {
      return CLOSED_BY_PEER;
    }
    // OpenSSL's engine says only "General OpenSslEngine problem"; the trust manager's reason is in the causes
    for (Throwable inner = c; inner != null; inner = inner.getCause()) {
      if (inner instanceof java.security.cert.CertificateException && inner.getMessage() != null) {
        c = inner;
        break;
      }
    }
    String message = c.getMessage() != null ? c.getMessage() : c.toString();
    return "failed the TLS handshake: " + message
        + (message.startsWith("Received fatal alert") ? " (it does not hold this application's certificate?)" : "");
  }

  private String timedOut(ChannelHandlerContext ctx) {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls != null && !tls.handshakeFuture().isDone()) {
      return "did not complete a TLS handshake within " + timeoutMillis + " ms (" + CRYPTO_MISMATCH + ")";
    }
    return "did not authenticate within " + timeoutMillis + " ms";
  }

  /** Whether the peer's first bytes are a TLS handshake record's header. */
  private boolean spokeTls() {
    return firstFilled == firstBytes.length && firstBytes[0] == 0x16 && firstBytes[1] == 0x03
        && firstBytes[2] >= 0x01 && firstBytes[2] <= 0x04;
  }

  /** Whether this end speaks TLS. */
  protected final boolean encrypted() {
    return encrypted;
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }
}
