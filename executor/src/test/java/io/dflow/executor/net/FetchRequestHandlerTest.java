package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's fetch handler through EmbeddedChannel: it answers a block in a file with a file
 * region, not a copy, and a block in memory with a buffer over its array, chunk by chunk.
 */
@ExtendWith(LeakTracker.class)
class FetchRequestHandlerTest {
  private static final int MAX_CHUNK = 16;

  @TempDir
  Path dir;

  /** 40 bytes of the heap block: its array is longer, as a cached partition's buffer may be. */
  private final byte[] heap = new byte[64];

  private EmbeddedChannel channel() throws IOException {
    return channel(true);
  }

  /** @param zeroCopy false: as on a TLS connection, file chunks read by a ChunkedWriteHandler */
  private EmbeddedChannel channel(boolean zeroCopy) throws IOException {
    byte[] bytes = new byte[100];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 3);
    }
    Path file = Files.write(dir.resolve("data"), bytes);
    for (int i = 0; i < heap.length; i++) {
      heap[i] = (byte) i;
    }
    BlockResolver resolver = blockId -> {
      if (blockId.equals("h")) {
        return new HeapBlock(heap, 40);
      }
      if (!blockId.equals("b")) {
        throw new IOException("unknown block " + blockId);
      }
      return new BlockRegion(file, 10, 40);
    };
    return zeroCopy ? new EmbeddedChannel(new MessageEncoder(), new FetchRequestHandler(resolver, MAX_CHUNK))
        : new EmbeddedChannel(new io.netty.handler.stream.ChunkedWriteHandler(), new MessageEncoder(),
            new FetchRequestHandler(resolver, MAX_CHUNK, false));
  }

  /** Reads one response frame header: returns the data length it announces. */
  private static int readHeader(EmbeddedChannel ch, long requestId, long blockLength) {
    ByteBuf header = ch.readOutbound();
    try {
      assertEquals(Wire.FETCH_RESPONSE_HEADER_BYTES, header.readableBytes());
      int frameLength = header.readInt();
      assertEquals(Wire.FETCH_RESPONSE, header.readByte());
      assertEquals(requestId, header.readLong());
      assertEquals(blockLength, header.readLong());
      return frameLength - (Wire.FETCH_RESPONSE_HEADER_BYTES - Wire.LENGTH_FIELD_BYTES);
    } finally {
      header.release();
    }
  }

  @Test
  void chunkIsSentAsAFileRegionCappedByTheServersChunkSize() throws IOException {
    EmbeddedChannel ch = channel();
    ch.writeInbound(new Message.FetchRequest(1, "b", 4, 1000));
    assertEquals(MAX_CHUNK, readHeader(ch, 1, 40));
    DefaultFileRegion region = assertInstanceOf(DefaultFileRegion.class, ch.readOutbound());
    assertEquals(10 + 4, region.position());
    assertEquals(MAX_CHUNK, region.count());
    region.release();
    assertNull(ch.readOutbound());
    ch.finishAndReleaseAll();
  }

  @Test
  void withoutZeroCopyTheChunkIsTheFilesBytesInBuffers() throws IOException {
    EmbeddedChannel ch = channel(false);
    ch.writeInbound(new Message.FetchRequest(1, "b", 4, 1000));
    assertEquals(MAX_CHUNK, readHeader(ch, 1, 40));
    java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
    for (Object out; (out = ch.readOutbound()) != null; ) {
      ByteBuf buf = assertInstanceOf(ByteBuf.class, out, "a buffer a TLS handler can encrypt, not a file region");
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      buf.release();
      sent.writeBytes(bytes);
    }
    byte[] expected = new byte[MAX_CHUNK];
    for (int i = 0; i < MAX_CHUNK; i++) {
      expected[i] = (byte) ((10 + 4 + i) * 3);
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, sent.toByteArray());
    ch.finishAndReleaseAll();
  }

  @Test
  void lastChunkIsShortAndTheEndOfTheBlockIsAnEmptyChunk() throws IOException {
    EmbeddedChannel ch = channel();
    ch.writeInbound(new Message.FetchRequest(2, "b", 32, 1000));
    assertEquals(8, readHeader(ch, 2, 40));
    DefaultFileRegion region = ch.readOutbound();
    assertEquals(10 + 32, region.position());
    region.release();

    ch.writeInbound(new Message.FetchRequest(3, "b", 40, 1000));
    assertEquals(0, readHeader(ch, 3, 40));
    assertNull(ch.readOutbound());
    ch.finishAndReleaseAll();
  }

  @Test
  void aHeapBlockIsSentFromItsArrayChunkByChunkUpToItsSize() throws IOException {
    EmbeddedChannel ch = channel();
    for (long offset : new long[] {0, 16, 32}) {
      ch.writeInbound(new Message.FetchRequest(10 + offset, "h", offset, 1000));
      int expected = (int) Math.min(MAX_CHUNK, 40 - offset);
      assertEquals(expected, readHeader(ch, 10 + offset, 40));
      ByteBuf data = ch.readOutbound();
      try {
        assertEquals(expected, data.readableBytes());
        for (int i = 0; i < expected; i++) {
          assertEquals((byte) (offset + i), data.getByte(data.readerIndex() + i), "byte " + (offset + i));
        }
      } finally {
        data.release();
      }
    }
    ch.writeInbound(new Message.FetchRequest(50, "h", 40, 1000));
    assertEquals(0, readHeader(ch, 50, 40));
    assertNull(ch.readOutbound(), "no bytes past the block's size");
    ch.writeInbound(new Message.FetchRequest(51, "h", 41, 1000));
    ByteBuf frame = ch.readOutbound();
    frame.skipBytes(Wire.LENGTH_FIELD_BYTES);
    Message.FetchFailure failure = (Message.FetchFailure) MessageDecoder.decode(frame);
    frame.release();
    assertTrue(failure.message().startsWith("bad range for block h of 40 bytes"), failure.message());
    ch.finishAndReleaseAll();
  }

  @Test
  void unknownBlockAndBadRangeAnswerWithAFailure() throws IOException {
    EmbeddedChannel ch = channel();
    ch.writeInbound(new Message.FetchRequest(4, "zz", 0, 10));
    ch.writeInbound(new Message.FetchRequest(5, "b", 41, 10));
    ch.writeInbound(new Message.FetchRequest(6, "b", 0, 0));
    for (long id = 4; id <= 6; id++) {
      ByteBuf frame = ch.readOutbound();
      frame.skipBytes(Wire.LENGTH_FIELD_BYTES);
      Message.FetchFailure failure = (Message.FetchFailure) MessageDecoder.decode(frame);
      frame.release();
      assertEquals(id, failure.requestId());
      assertTrue(id == 4 ? failure.message().equals("unknown block zz") : failure.message().startsWith("bad range"),
          failure.message());
    }
    assertTrue(ch.isOpen());
    ch.finishAndReleaseAll();
  }

  @Test
  void otherMessagesPassThrough() throws IOException {
    EmbeddedChannel ch = channel();
    Message.Control control = new Message.Control(new byte[] {1});
    ch.writeInbound(control);
    assertEquals(control, ch.readInbound());
    ch.finishAndReleaseAll();
  }
}
