package io.dflow.executor.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client side of class fetches: one request, one answer, any number in flight.
 *
 * <p>Threading: {@link #fetch} may be called from any thread; the bookkeeping is touched only on
 * the channel's event loop.
 */
final class ClassResponseHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ClassResponseHandler.class);

  private final Channel channel;
  private final Map<Long, Pending> pending = new HashMap<>();
  private long nextRequestId;
  private ChannelHandlerContext ctx;

  ClassResponseHandler(Channel channel) {
    this.channel = channel;
  }

  private record Pending(String className, CompletableFuture<ServedClass> result) {}

  CompletableFuture<ServedClass> fetch(String className) {
    CompletableFuture<ServedClass> result = new CompletableFuture<>();
    if (className.getBytes(StandardCharsets.UTF_8).length > Wire.MAX_CLASS_NAME_BYTES) {
      result.completeExceptionally(new IllegalArgumentException("class name longer than "
          + Wire.MAX_CLASS_NAME_BYTES + " bytes"));
      return result;
    }
    try {
      channel.eventLoop().execute(() -> start(className, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(closedError(className));
    }
    return result;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  private void start(String className, CompletableFuture<ServedClass> result) {
    if (ctx == null || !channel.isActive()) {
      result.completeExceptionally(closedError(className));
      return;
    }
    long id = ++nextRequestId;
    pending.put(id, new Pending(className, result));
    ctx.writeAndFlush(new Message.ClassRequest(id, className)).addListener(f -> {
      if (!f.isSuccess()) {
        Pending p = pending.remove(id);
        if (p != null) {
          p.result.completeExceptionally(new IOException("sending class request for " + className + " to "
              + channel.remoteAddress() + " failed", f.cause()));
        }
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Message.ClassResponse response) {
      Pending p = pending.remove(response.requestId());
      if (p == null) {
        LOG.warn("class response for unknown request {} from {}", response.requestId(), channel.remoteAddress());
      } else {
        p.result.complete(new ServedClass(response.bytecode(), response.attachment()));
      }
    } else if (msg instanceof Message.ClassMissing missing) {
      Pending p = pending.remove(missing.requestId());
      if (p == null) {
        LOG.warn("class refusal for unknown request {} from {}", missing.requestId(), channel.remoteAddress());
      } else {
        p.result.completeExceptionally(new ClassNotServedException(channel.remoteAddress() + ": " + missing.message()));
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    List<Pending> lost = new ArrayList<>(pending.values());
    pending.clear();
    for (Pending p : lost) {
      p.result.completeExceptionally(closedError(p.className));
    }
    ctx.fireChannelInactive();
  }

  private IOException closedError(String className) {
    return new IOException("connection to " + channel.remoteAddress() + " closed while fetching class " + className);
  }
}
