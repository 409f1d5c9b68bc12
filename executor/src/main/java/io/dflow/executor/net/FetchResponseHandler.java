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
 * Client side of block fetches. A fetch asks for the block one chunk at a time (one request in
 * flight per fetch, any number of fetches at once) and assembles the chunks into one array.
 *
 * <p>Threading: {@link #fetch} may be called from any thread; it hands the work to the
 * channel's event loop, and all bookkeeping ({@code pending}, {@code nextRequestId}) is touched
 * only there, so it needs no locks.
 */
final class FetchResponseHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FetchResponseHandler.class);
  /** The largest array the JVM reliably allocates. */
  static final int MAX_BLOCK_BYTES = Integer.MAX_VALUE - 8;

  private final Channel channel;
  private final int chunkBytes;
  private final Map<Long, PendingFetch> pending = new HashMap<>();
  private long nextRequestId;
  private ChannelHandlerContext ctx;
  private Throwable failure;

  FetchResponseHandler(Channel channel, int chunkBytes) {
    this.channel = channel;
    this.chunkBytes = chunkBytes;
  }

  /** Starts fetching a whole block; any thread. */
  CompletableFuture<byte[]> fetch(String blockId) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    if (blockId.getBytes(StandardCharsets.UTF_8).length > Wire.MAX_BLOCK_ID_BYTES) {
      result.completeExceptionally(new IllegalArgumentException("block id longer than " + Wire.MAX_BLOCK_ID_BYTES + " bytes"));
      return result;
    }
    try {
      channel.eventLoop().execute(() -> start(blockId, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(closedError(blockId));
    }
    return result;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  private void start(String blockId, CompletableFuture<byte[]> result) {
    if (ctx == null || !channel.isActive()) {
      result.completeExceptionally(closedError(blockId));
      return;
    }
    long id = ++nextRequestId;
    PendingFetch fetch = new PendingFetch(blockId, result);
    pending.put(id, fetch);
    requestNextChunk(id, fetch);
  }

  private void requestNextChunk(long id, PendingFetch fetch) {
    ctx.writeAndFlush(new Message.FetchRequest(id, fetch.blockId, fetch.received, chunkBytes)).addListener(f -> {
      if (!f.isSuccess()) {
        fail(id, new IOException("sending fetch request for block " + fetch.blockId + " to "
            + channel.remoteAddress() + " failed", f.cause()));
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Message.FetchResponse response) {
      onResponse(response);
    } else if (msg instanceof Message.FetchFailure failure) {
      PendingFetch fetch = pending.get(failure.requestId());
      if (fetch != null) {
        fail(failure.requestId(), new IOException("fetch of block " + fetch.blockId + " from "
            + channel.remoteAddress() + " failed: " + failure.message()));
      } else {
        LOG.warn("fetch failure for unknown request {} from {}", failure.requestId(), channel.remoteAddress());
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void onResponse(Message.FetchResponse response) {
    long id = response.requestId();
    PendingFetch fetch = pending.get(id);
    if (fetch == null) {
      LOG.warn("fetch response for unknown request {} from {}", id, channel.remoteAddress());
      return;
    }
    if (fetch.result.isDone()) {
      pending.remove(id);
      return;
    }
    String problem = fetch.accept(response.blockLength(), response.data());
    if (problem != null) {
      fail(id, new IOException("fetch of block " + fetch.blockId + " from " + channel.remoteAddress() + ": " + problem));
    } else if (fetch.isComplete()) {
      pending.remove(id);
      fetch.result.complete(fetch.block());
    } else {
      requestNextChunk(id, fetch);
    }
  }

  private void fail(long id, IOException error) {
    PendingFetch fetch = pending.remove(id);
    if (fetch != null) {
      fetch.result.completeExceptionally(error);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    List<PendingFetch> lost = new ArrayList<>(pending.values());
    pending.clear();
    for (PendingFetch fetch : lost) {
      fetch.result.completeExceptionally(closedError(fetch.blockId));
    }
    ctx.fireChannelInactive();
  }

  private IOException closedError(String blockId) {
    String why = failure == null ? "" : ": " + failure;
    return new IOException("connection to " + channel.remoteAddress() + " closed while fetching block " + blockId + why,
        failure);
  }

  /** One block being fetched. */
  private static final class PendingFetch {
    final String blockId;
    final CompletableFuture<byte[]> result;
    long blockLength = -1;
    byte[] data;
    int received;

    PendingFetch(String blockId, CompletableFuture<byte[]> result) {
      this.blockId = blockId;
      this.result = result;
    }

    /** Takes one chunk; returns what is wrong with it, or null. */
    String accept(long length, byte[] chunk) {
      if (blockLength < 0) {
        if (length < 0 || length > MAX_BLOCK_BYTES) {
          return "server announced a block of " + length + " bytes, more than one array can hold";
        }
        blockLength = length;
        if (chunk.length == length) {
          data = chunk;
          received = chunk.length;
          return null;
        }
        data = new byte[(int) length];
      } else if (length != blockLength) {
        return "block length changed from " + blockLength + " to " + length + " during the fetch";
      }
      if (chunk.length > blockLength - received) {
        return "server sent " + chunk.length + " bytes but only " + (blockLength - received) + " remain";
      }
      if (chunk.length == 0 && received < blockLength) {
        return "server sent an empty chunk at offset " + received + " of " + blockLength;
      }
      System.arraycopy(chunk, 0, data, received, chunk.length);
      received += chunk.length;
      return null;
    }

    boolean isComplete() {
      return blockLength >= 0 && received == blockLength;
    }

    byte[] block() {
      return data;
    }
  }
}
