package io.dflow.executor.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an authenticated pipeline, on both ends: hands control messages to the
 * {@link MessageHandler}, tells it when the connection closes, and closes the connection on any
 * error or on a message this end does not expect (logging one WARN that says why).
 */
final class ControlMessageHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ControlMessageHandler.class);

  private final MessageHandler handler;
  private final Connection connection;
  private final int maxFrameBytes;
  private boolean closing;

  ControlMessageHandler(MessageHandler handler, Connection connection, int maxFrameBytes) {
    this.handler = handler;
    this.connection = connection;
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Message.Control control) {
      try {
        handler.onControl(connection, control.body());
      } catch (RuntimeException e) {
        LOG.warn("message handler failed on a control message from {}", connection.remoteAddress(), e);
      }
    } else {
      ReferenceCountUtil.release(msg);
      closeWithError(ctx, "unexpected message " + msg.getClass().getSimpleName(), null);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    try {
      handler.onClose(connection);
    } catch (RuntimeException e) {
      LOG.warn("message handler failed on close of {}", connection.remoteAddress(), e);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      closeWithError(ctx, "frame exceeds the limit of " + maxFrameBytes + " bytes (" + cause.getMessage() + ")", null);
    } else if (cause instanceof DecoderException && cause.getCause() != null) {
      closeWithError(ctx, "bad frame: " + cause.getCause(), cause);
    } else {
      closeWithError(ctx, cause.toString(), cause);
    }
  }

  private void closeWithError(ChannelHandlerContext ctx, String reason, Throwable cause) {
    if (closing) {
      return;
    }
    closing = true;
    if (cause != null && !(cause instanceof IOException) && !(cause instanceof DecoderException)) {
      LOG.warn("closing connection {}: {}", connection.remoteAddress(), reason, cause);
    } else {
      LOG.warn("closing connection {}: {}", connection.remoteAddress(), reason);
    }
    ctx.close();
  }
}
