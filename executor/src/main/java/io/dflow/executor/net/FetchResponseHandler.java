package io.dflow.executor.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * flight per fetch, any number of fetches at once) and assembles the chunks into one array, or,
 * for a fetch to a file, writes each chunk to the file as it arrives (so a block bigger than the
 * heap can spare never is on it).
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

  /** Starts fetching a whole block into an array; any thread. */
  CompletableFuture<byte[]> fetch(String blockId) {
    return fetch(blockId, null).thenApply(block -> ((HeapBlock) block).bytes());
  }

  /**
   * Starts fetching a whole block; any thread. With a {@code file} (created, written as chunks
   * arrive, deleted if the fetch fails) the result is that file's region, else an array.
   */
  CompletableFuture<BlockData> fetch(String blockId, Path file) {
    CompletableFuture<BlockData> result = new CompletableFuture<>();
    if (blockId.getBytes(StandardCharsets.UTF_8).length > Wire.MAX_BLOCK_ID_BYTES) {
      result.completeExceptionally(new IllegalArgumentException("block id longer than " + Wire.MAX_BLOCK_ID_BYTES + " bytes"));
      return result;
    }
    try {
      channel.eventLoop().execute(() -> start(blockId, file, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(closedError(blockId));
    }
    return result;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  private void start(String blockId, Path file, CompletableFuture<BlockData> result) {
    if (ctx == null || !channel.isActive()) {
      result.completeExceptionally(closedError(blockId));
      return;
    }
    long id = ++nextRequestId;
    PendingFetch fetch;
    try {
      fetch = file == null ? new PendingFetch(blockId, result) : new FileFetch(blockId, result, file);
    } catch (IOException e) {
      result.completeExceptionally(new IOException("cannot create " + file + " to fetch block " + blockId + " into: "
          + e.getMessage(), e));
      return;
    }
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
      fetch.abandon();
      return;
    }
    String problem;
    try {
      problem = fetch.accept(response.blockLength(), response.data());
    } catch (IOException e) {
      problem = "cannot write it to disk: " + e.getMessage();
    }
    if (problem != null) {
      fail(id, new IOException("fetch of block " + fetch.blockId + " from " + channel.remoteAddress() + ": " + problem));
    } else if (fetch.isComplete()) {
      pending.remove(id);
      try {
        fetch.result.complete(fetch.block());
      } catch (IOException e) {
        fetch.abandon();
        fetch.result.completeExceptionally(new IOException("fetch of block " + fetch.blockId + ": " + e.getMessage(), e));
      }
    } else {
      requestNextChunk(id, fetch);
    }
  }

  private void fail(long id, IOException error) {
    PendingFetch fetch = pending.remove(id);
    if (fetch != null) {
      fetch.abandon();
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
      fetch.abandon();
      fetch.result.completeExceptionally(closedError(fetch.blockId));
    }
    ctx.fireChannelInactive();
  }

  private IOException closedError(String blockId) {
    String why = failure == null ? "" : ": " + failure;
    return new IOException("connection to " + channel.remoteAddress() + " closed while fetching block " + blockId + why,
        failure);
  }

  /** One block being fetched into an array. */
  private static class PendingFetch {
    final String blockId;
    final CompletableFuture<BlockData> result;
    long blockLength = -1;
    byte[] data;
    long received;

    PendingFetch(String blockId, CompletableFuture<BlockData> result) {
      this.blockId = blockId;
      this.result = result;
    }

    /** The most bytes a block fetched this way may have. */
    long maxBlockBytes() {
      return MAX_BLOCK_BYTES;
    }

    /** Takes one chunk; returns what is wrong with it, or null. */
    String accept(long length, byte[] chunk) throws IOException {
      if (blockLength < 0) {
        if (length < 0 || length > maxBlockBytes()) {
          return "server announced a block of " + length + " bytes, more than one array can hold";
        }
        blockLength = length;
        if (firstChunkIsAll(chunk)) {
          return null;
        }
      } else if (length != blockLength) {
        return "block length changed from " + blockLength + " to " + length + " during the fetch";
      }
      if (chunk.length > blockLength - received) {
        return "server sent " + chunk.length + " bytes but only " + (blockLength - received) + " remain";
      }
      if (chunk.length == 0 && received < blockLength) {
        return "server sent an empty chunk at offset " + received + " of " + blockLength;
      }
      store(chunk);
      received += chunk.length;
      return null;
    }

    /** Keeps the first chunk as the block if it is all of it (no copy); else makes room for the block. */
    boolean firstChunkIsAll(byte[] chunk) {
      if (chunk.length == blockLength) {
        data = chunk;
        received = chunk.length;
        return true;
      }
      data = new byte[(int) blockLength];
      return false;
    }

    void store(byte[] chunk) throws IOException {
      System.arraycopy(chunk, 0, data, (int) received, chunk.length);
    }

    boolean isComplete() {
      return blockLength >= 0 && received == blockLength;
    }

    BlockData block() throws IOException {
      return new HeapBlock(data, data.length);
    }

    /** The fetch failed or was given up: drops what it holds. */
    void abandon() {
      data = null;
    }
  }

  /** One block being fetched into a file, each chunk written as it arrives. */
  private static final class FileFetch extends PendingFetch {
    private final Path file;
    private final FileChannel out;

    FileFetch(String blockId, CompletableFuture<BlockData> result, Path file) throws IOException {
      super(blockId, result);
      this.file = file;
      this.out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    long maxBlockBytes() {
      return Long.MAX_VALUE;
    }

    @Override
    boolean firstChunkIsAll(byte[] chunk) {
      return false;
    }

    @Override
    void store(byte[] chunk) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(chunk);
      while (buffer.hasRemaining()) {
        out.write(buffer, received + buffer.position());
      }
    }

    @Override
    BlockData block() throws IOException {
      out.close();
      return new BlockRegion(file, 0, blockLength);
    }

    @Override
    void abandon() {
      try {
        out.close();
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.warn("cannot delete {} after a failed fetch: {}", file, e.getMessage());
      }
    }
  }
}
