package io.dflow.executor.net;

import io.netty.buffer.ByteBuf;
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
 * Client side of block fetches. A fetch asks for the block one chunk at a time and copies each
 * chunk's bytes, as the {@link ClientFrameDecoder} hands them on, straight into the block's
 * array, or, for a fetch to a file, writes them to the file as they arrive (so a block bigger
 * than the heap can spare never is on it). Each byte is copied once on its way from the socket's
 * buffers to the block. As soon as a response's header says how long the block is, the next
 * chunk is asked for, so the server sends it while this one is being read: at most two
 * responses per fetch are in flight, and any number of fetches may run at once.
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
  /** Where the data of the response being received goes: its fetch, or null to drop it. */
  private PendingFetch receiving;
  private long receivingId;

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
    PendingFetch fetch;
    try {
      fetch = file == null ? new PendingFetch(blockId, result) : new FileFetch(blockId, result, file);
    } catch (IOException e) {
      result.completeExceptionally(new IOException("cannot create " + file + " to fetch block " + blockId + " into: "
          + e.getMessage(), e));
      return;
    }
    request(fetch, 0);
  }

  /** Asks for the chunk of {@code fetch} at {@code offset}, as a request of its own id. */
  private void request(PendingFetch fetch, long offset) {
    long id = ++nextRequestId;
    pending.put(id, fetch);
    ctx.writeAndFlush(new Message.FetchRequest(id, fetch.blockId, offset, chunkBytes)).addListener(f -> {
      if (!f.isSuccess()) {
        fail(id, new IOException("sending fetch request for block " + fetch.blockId + " to "
            + channel.remoteAddress() + " failed", f.cause()));
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FetchStream.Data data) {
      onData(data);
    } else if (msg instanceof FetchStream.Header header) {
      onHeader(header);
    } else if (msg instanceof Message.FetchFailure failure) {
      PendingFetch fetch = pending.get(failure.requestId());
      if (fetch != null) {
        fail(failure.requestId(), new IOException("fetch of block " + fetch.blockId + " from "
            + channel.remoteAddress() + " failed: " + failure.message()));
      } else {
        unknown("fetch failure", failure.requestId());
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void onHeader(FetchStream.Header header) {
    long id = header.requestId();
    receivingId = id;
    receiving = pending.get(id);
    PendingFetch fetch = receiving;
    if (fetch == null) {
      unknown("fetch response", id);
      return;
    }
    if (fetch.result.isDone()) {
      drop(id, fetch);
      return;
    }
    String problem;
    try {
      problem = fetch.begin(header.blockLength(), header.dataLength());
    } catch (IOException e) {
      problem = "cannot write it to disk: " + e.getMessage();
    }
    if (problem != null) {
      fail(id, new IOException("fetch of block " + fetch.blockId + " from " + channel.remoteAddress() + ": " + problem));
      return;
    }
    long next = fetch.received + header.dataLength();
    if (next < fetch.blockLength) {
      request(fetch, next);
    }
    if (header.dataLength() == 0) {
      chunkDone(id, fetch);
    }
  }

  private void onData(FetchStream.Data data) {
    ByteBuf bytes = data.bytes();
    try {
      PendingFetch fetch = receiving;
      if (fetch == null || data.requestId() != receivingId) {
        return;
      }
      try {
        fetch.store(bytes);
      } catch (IOException e) {
        fail(receivingId, new IOException("fetch of block " + fetch.blockId + " from " + channel.remoteAddress()
            + ": cannot write it to disk: " + e.getMessage(), e));
        return;
      }
      if (fetch.received == fetch.chunkEnd) {
        chunkDone(receivingId, fetch);
      }
    } finally {
      bytes.release();
    }
  }

  /** A response's data is all there: the fetch is done, or its next chunk (asked for already) follows. */
  private void chunkDone(long id, PendingFetch fetch) {
    receiving = null;
    pending.remove(id);
    if (!fetch.isComplete()) {
      return;
    }
    pending.values().removeIf(other -> other == fetch);
    try {
      fetch.result.complete(fetch.block());
    } catch (IOException e) {
      fetch.abandon();
      fetch.result.completeExceptionally(new IOException("fetch of block " + fetch.blockId + ": " + e.getMessage(), e));
    }
  }

  /** A fetch whose caller gave up: forget all its requests and drop what it holds. */
  private void drop(long id, PendingFetch fetch) {
    receiving = null;
    pending.remove(id);
    pending.values().removeIf(other -> other == fetch);
    fetch.abandon();
  }

  /** A response to a request of ours that is no longer pending is one to a fetch that failed; any other is odd. */
  private void unknown(String what, long id) {
    if (id <= 0 || id > nextRequestId) {
      LOG.warn("{} for unknown request {} from {}", what, id, channel.remoteAddress());
    } else {
      LOG.debug("{} for request {} of a fetch already ended, from {}", what, id, channel.remoteAddress());
    }
  }

  private void fail(long id, IOException error) {
    PendingFetch fetch = pending.remove(id);
    if (fetch != null) {
      if (receiving == fetch) {
        receiving = null;
      }
      pending.values().removeIf(other -> other == fetch);
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
    List<PendingFetch> lost = new ArrayList<>(new java.util.LinkedHashSet<>(pending.values()));
    pending.clear();
    receiving = null;
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
    /** Where the data of the response being received ends. */
    long chunkEnd;

    PendingFetch(String blockId, CompletableFuture<BlockData> result) {
      this.blockId = blockId;
      this.result = result;
    }

    /** The most bytes a block fetched this way may have. */
    long maxBlockBytes() {
      return MAX_BLOCK_BYTES;
    }

    /** Takes the header of the response of {@code chunk} bytes that follows; returns what is wrong with it, or null. */
    String begin(long length, int chunk) throws IOException {
      if (blockLength < 0) {
        if (length < 0 || length > maxBlockBytes()) {
          return "server announced a block of " + length + " bytes, more than one array can hold";
        }
        blockLength = length;
        allocate();
      } else if (length != blockLength) {
        return "block length changed from " + blockLength + " to " + length + " during the fetch";
      }
      if (chunk > blockLength - received) {
        return "server sent " + chunk + " bytes but only " + (blockLength - received) + " remain";
      }
      if (chunk == 0 && received < blockLength) {
        return "server sent an empty chunk at offset " + received + " of " + blockLength;
      }
      chunkEnd = received + chunk;
      return null;
    }

    /** Makes room for the block, once its length is known. */
    void allocate() throws IOException {
      data = new byte[(int) blockLength];
    }

    /** Copies the next bytes of the block into place (the decoder never hands on more than the chunk announced). */
    void store(ByteBuf bytes) throws IOException {
      int n = bytes.readableBytes();
      bytes.getBytes(bytes.readerIndex(), data, (int) received, n);
      received += n;
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
    void allocate() {
      // the file grows as chunks arrive
    }

    @Override
    void store(ByteBuf bytes) throws IOException {
      for (ByteBuffer buffer : bytes.nioBuffers()) {
        while (buffer.hasRemaining()) {
          received += out.write(buffer, received);
        }
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
