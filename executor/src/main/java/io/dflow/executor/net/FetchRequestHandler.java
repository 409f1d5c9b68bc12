package io.dflow.executor.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.stream.ChunkedNioFile;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of block fetches: resolves the block, then answers with a response header and the
 * requested slice of the file as a {@link DefaultFileRegion}, which the transport sends without
 * copying it through the heap (or, for a block held in memory, a buffer wrapping its array; or,
 * on a TLS connection, which must encrypt every byte, as a {@link ChunkedNioFile}). The header
 * buffer and the file region (or chunked file) are released by the transport once written (or
 * failed). A write that fails part-way leaves a half-sent frame, so
 * it closes the connection.
 *
 * <p>Runs on the event loop: the resolver and one {@code stat} of the file are the only
 * filesystem calls made here; the data itself is read by the kernel during the send (over TLS,
 * by the {@code ChunkedWriteHandler}, on the event loop, as the connection can take it).
 */
final class FetchRequestHandler extends SimpleChannelInboundHandler<Message.FetchRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(FetchRequestHandler.class);

  /**
   * Bytes of a file a TLS connection reads at a time: sixteen TLS records' worth, a quarter of
   * the reads and pipeline trips per byte that 64 KiB took.
   */
  static final int TLS_READ_BYTES = 256 * 1024;

  private final BlockResolver resolver;
  private final int maxChunkBytes;
  private final boolean zeroCopy;

  FetchRequestHandler(BlockResolver resolver, int maxChunkBytes) {
    this(resolver, maxChunkBytes, true);
  }

  /**
   * @param zeroCopy whether file chunks go as file regions; false on a TLS connection, which
   *     must encrypt every byte: they go as a {@link ChunkedNioFile} that the pipeline's
   *     {@code ChunkedWriteHandler} reads {@value #TLS_READ_BYTES} bytes at a time
   */
  FetchRequestHandler(BlockResolver resolver, int maxChunkBytes, boolean zeroCopy) {
    super(Message.FetchRequest.class);
    this.resolver = resolver;
    this.maxChunkBytes = maxChunkBytes;
    this.zeroCopy = zeroCopy;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message.FetchRequest request) {
    BlockData region;
    try {
      region = resolver.resolve(request.blockId());
      if (region instanceof BlockRegion file) {
        checkFile(request.blockId(), file);
      }
    } catch (IOException e) {
      refuse(ctx, request, e.getMessage() != null ? e.getMessage() : e.toString());
      return;
    } catch (RuntimeException e) {
      LOG.warn("block resolver failed on {}", request.blockId(), e);
      refuse(ctx, request, "server error resolving block " + request.blockId() + ": " + e);
      return;
    }
    if (request.offset() < 0 || request.offset() > region.length() || request.maxLength() <= 0) {
      refuse(ctx, request, "bad range for block " + request.blockId() + " of " + region.length()
          + " bytes: offset " + request.offset() + ", maxLength " + request.maxLength());
      return;
    }
    int chunk = (int) Math.min(Math.min(request.maxLength(), maxChunkBytes), region.length() - request.offset());
    ChannelFutureListener closeOnFailure = f -> {
      if (!f.isSuccess()) {
        LOG.warn("sending block {} to {} failed; closing", request.blockId(), ctx.channel().remoteAddress(), f.cause());
        f.channel().close();
      }
    };
    Object fileChunk = null;
    if (chunk > 0 && region instanceof BlockRegion file) {
      long position = file.offset() + request.offset();
      if (zeroCopy) {
        fileChunk = new DefaultFileRegion(file.file().toFile(), position, chunk);
      } else {
        try {
          fileChunk = new ChunkedNioFile(FileChannel.open(file.file(), StandardOpenOption.READ), position, chunk,
              TLS_READ_BYTES);
        } catch (IOException e) {
          refuse(ctx, request, "cannot read block " + request.blockId() + ": " + e.getMessage());
          return;
        }
      }
    }
    ctx.write(MessageEncoder.fetchResponseHeader(ctx.alloc(), request.requestId(), region.length(), chunk))
        .addListener(closeOnFailure);
    if (fileChunk != null) {
      ctx.write(fileChunk).addListener(closeOnFailure);
    } else if (chunk > 0) {
      HeapBlock heap = (HeapBlock) region;
      ctx.write(Unpooled.wrappedBuffer(heap.bytes(), (int) request.offset(), chunk)).addListener(closeOnFailure);
    }
    ctx.flush();
  }

  private static void checkFile(String blockId, BlockRegion region) throws IOException {
    long size = Files.size(region.file());
    if (size < region.offset() + region.length()) {
      throw new IOException("block " + blockId + " is truncated: its file has " + size
          + " bytes but the block ends at " + (region.offset() + region.length()));
    }
  }

  private static void refuse(ChannelHandlerContext ctx, Message.FetchRequest request, String message) {
    ctx.writeAndFlush(new Message.FetchFailure(request.requestId(), message))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }
}
