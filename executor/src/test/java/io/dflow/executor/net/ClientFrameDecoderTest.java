package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client's frame decoder, through EmbeddedChannel: fetch response data handed on in pieces
 * that add up to exactly what was sent, other frames decoded whole, however the bytes are split
 * across reads; oversized and malformed frames stop it; no buffer leaks.
 */
@ExtendWith(LeakTracker.class)
class ClientFrameDecoderTest {
  private static final int MAX_FRAME = 64 * 1024;

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** The wire bytes of these messages, one after another, as the server's encoder writes them. */
  private static ByteBuf wire(List<Message> messages) {
    ByteBuf all = Unpooled.buffer();
    for (Message m : messages) {
      ByteBuf frame = MessageEncoder.encode(ByteBufAllocator.DEFAULT, m);
      all.writeBytes(frame);
      frame.release();
    }
    return all;
  }

  /**
   * Feeds {@code wire} in pieces of random sizes up to {@code maxPiece} and turns what comes out
   * back into messages: a fetch response's header and data pieces into one {@link Message.FetchResponse}.
   */
  private static List<Message> decode(ByteBuf wire, int maxPiece, long seed) {
    EmbeddedChannel in = new EmbeddedChannel(new ClientFrameDecoder(MAX_FRAME));
    Random random = new Random(seed);
    while (wire.isReadable()) {
      int n = Math.min(wire.readableBytes(), 1 + random.nextInt(maxPiece));
      ByteBuf piece = ByteBufAllocator.DEFAULT.directBuffer(n);
      piece.writeBytes(wire, n);
      in.writeInbound(piece);
    }
    wire.release();
    List<Message> out = new ArrayList<>();
    FetchStream.Header header = null;
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Object o; (o = in.readInbound()) != null; ) {
      if (o instanceof FetchStream.Header h) {
        assertNull(header, "a header before the previous response's data was all there");
        header = h;
        data.reset();
      } else if (o instanceof FetchStream.Data d) {
        try {
          assertTrue(header != null && d.requestId() == header.requestId(), "data of the response announced");
          assertTrue(d.bytes().isReadable(), "no empty data pieces");
          byte[] b = new byte[d.bytes().readableBytes()];
          d.bytes().getBytes(d.bytes().readerIndex(), b);
          data.writeBytes(b);
        } finally {
          d.bytes().release();
        }
      } else {
        assertNull(header, "a frame inside a fetch response's data");
        out.add((Message) o);
      }
      if (header != null && data.size() == header.dataLength()) {
        out.add(new Message.FetchResponse(header.requestId(), header.blockLength(), data.toByteArray()));
        header = null;
      }
    }
    assertNull(header, "a fetch response's data was cut short");
    assertFalse(in.finishAndReleaseAll());
    return out;
  }

  private static List<Message> messages() {
    return List.of(
        new Message.FetchResponse(1, 100_000, bytes(40_000, 1)),
        new Message.Control(bytes(3_000, 2)),
        new Message.FetchResponse(2, 0, new byte[0]),
        new Message.FetchFailure(3, "no such block"),
        new Message.FetchResponse(1, 100_000, bytes(60_000, 3)),
        new Message.ClassResponse(4, bytes(500, 4), bytes(7, 5)),
        new Message.Control(new byte[0]),
        new Message.FetchResponse(-1L, Long.MAX_VALUE, bytes(1, 6)));
  }

  private static void assertSame(List<Message> expected, List<Message> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      Message e = expected.get(i);
      Message a = actual.get(i);
      assertEquals(e.getClass(), a.getClass(), "message " + i);
      if (e instanceof Message.FetchResponse r) {
        Message.FetchResponse got = (Message.FetchResponse) a;
        assertEquals(r.requestId(), got.requestId(), "request of message " + i);
        assertEquals(r.blockLength(), got.blockLength(), "block length of message " + i);
        assertArrayEquals(r.data(), got.data(), "data of message " + i);
      } else if (e instanceof Message.Control c) {
        assertArrayEquals(c.body(), ((Message.Control) a).body(), "message " + i);
      } else if (e instanceof Message.ClassResponse c) {
        assertArrayEquals(c.bytecode(), ((Message.ClassResponse) a).bytecode());
        assertArrayEquals(c.attachment(), ((Message.ClassResponse) a).attachment());
      } else {
        assertEquals(e, a, "message " + i);
      }
    }
  }

  @Test
  void framesSplitAnywhereComeOutAsSent() {
    List<Message> sent = messages();
    for (int maxPiece : new int[] {1, 2, 7, 21, 22, 4096, 200_000}) {
      assertSame(sent, decode(wire(sent), maxPiece, maxPiece));
    }
  }

  @Test
  void aFrameOverTheLimitStopsTheDecoder() {
    EmbeddedChannel in = new EmbeddedChannel(new ClientFrameDecoder(MAX_FRAME));
    ByteBuf frame = Unpooled.buffer().writeInt(MAX_FRAME - Wire.LENGTH_FIELD_BYTES + 1).writeByte(Wire.CONTROL);
    assertThrows(TooLongFrameException.class, () -> in.writeInbound(frame));
    // what follows is not read: the connection is closed by the control handler
    in.writeInbound(wire(List.of(new Message.Control(bytes(10, 7)))));
    assertNull(in.readInbound());
    assertFalse(in.finishAndReleaseAll());
  }

  @Test
  void aFetchResponseShorterThanItsHeaderIsCorrupt() {
    EmbeddedChannel in = new EmbeddedChannel(new ClientFrameDecoder(MAX_FRAME));
    ByteBuf frame = Unpooled.buffer().writeInt(9).writeByte(Wire.FETCH_RESPONSE).writeLong(1);
    assertThrows(CorruptedFrameException.class, () -> in.writeInbound(frame));
    assertFalse(in.finishAndReleaseAll());
  }

  @Test
  void aMalformedOtherFrameIsCorruptAndAZeroLengthOneToo() {
    EmbeddedChannel in = new EmbeddedChannel(new ClientFrameDecoder(MAX_FRAME));
    ByteBuf unknownType = Unpooled.buffer().writeInt(1).writeByte(99);
    assertThrows(CorruptedFrameException.class, () -> in.writeInbound(unknownType));
    assertFalse(in.finishAndReleaseAll());
    EmbeddedChannel empty = new EmbeddedChannel(new ClientFrameDecoder(MAX_FRAME));
    assertThrows(CorruptedFrameException.class, () -> empty.writeInbound(Unpooled.buffer().writeInt(0)));
    assertFalse(empty.finishAndReleaseAll());
  }

  @Test
  void aFrameCutShortByTheCloseLeaksNothing() {
    EmbeddedChannel in = new EmbeddedChannel(new ClientFrameDecoder(MAX_FRAME));
    ByteBuf wire = wire(List.of(new Message.Control(bytes(5_000, 8))));
    ByteBuf half = ByteBufAllocator.DEFAULT.directBuffer();
    half.writeBytes(wire, 2_500);
    wire.release();
    in.writeInbound(half);
    assertNull(in.readInbound());
    assertFalse(in.finishAndReleaseAll()); // removes the decoder, which frees the half-gathered frame
  }

  @Test
  void theDataOfAFetchResponseIsSlicedFromTheReadBuffersNotCopied() {
    EmbeddedChannel in = new EmbeddedChannel(new ClientFrameDecoder(MAX_FRAME));
    ByteBuf wire = wire(List.of(new Message.FetchResponse(5, 10_000, bytes(10_000, 9))));
    ByteBuf read = ByteBufAllocator.DEFAULT.directBuffer(wire.readableBytes());
    read.writeBytes(wire);
    wire.release();
    in.writeInbound(read);
    assertInstanceOf(FetchStream.Header.class, in.readInbound());
    FetchStream.Data data = in.readInbound();
    assertEquals(10_000, data.bytes().readableBytes());
    byte first = data.bytes().getByte(data.bytes().readerIndex());
    read.setByte(Wire.FETCH_RESPONSE_HEADER_BYTES, ~first);
    assertEquals((byte) ~first, data.bytes().getByte(data.bytes().readerIndex()),
        "the data piece is the read buffer's own memory");
    data.bytes().release();
    assertFalse(in.finishAndReleaseAll());
  }
}
