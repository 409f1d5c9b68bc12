package io.dflow.executor.net;

import io.netty.buffer.ByteBuf;

/**
 * A fetch response as the client's {@link ClientFrameDecoder} hands it on: its header as soon as
 * it has arrived, then its data in the pieces the socket delivered, never gathered into one
 * frame buffer. Unlike a {@link Message}, a {@link Data} piece holds a {@code ByteBuf}, which
 * whoever receives it must release.
 */
sealed interface FetchStream {

  /**
   * The start of one response: {@code dataLength} bytes of the block follow (as {@link Data}
   * pieces, zero or more), from the offset the request asked for; {@code blockLength} is the
   * length of the whole block.
   */
  record Header(long requestId, long blockLength, int dataLength) implements FetchStream {}

  /** The next bytes of the response last announced by a {@link Header}; the receiver releases {@code bytes}. */
  record Data(long requestId, ByteBuf bytes) implements FetchStream {}
}
