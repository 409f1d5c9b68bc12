package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The frame codec, through EmbeddedChannel: round trips, malformed frames, the size limit. */
@ExtendWith(LeakTracker.class)
class MessageCodecTest {
  private static final TransportConf CONF = NetTestSupport.conf();

  private static EmbeddedChannel encoder() {
    return new EmbeddedChannel(new MessageEncoder());
  }

  private static EmbeddedChannel decoder() {
    return new EmbeddedChannel(ServerChannelInitializer.frameDecoder(CONF), new MessageDecoder());
  }

  /** Encodes a message, feeds the bytes to a decoder one byte at a time, returns what comes out. */
  private static Message roundTrip(Message message) {
    EmbeddedChannel out = encoder();
    assertTrue(out.writeOutbound(message));
    ByteBuf wire = out.readOutbound();
    EmbeddedChannel in = decoder();
    while (wire.isReadable()) {
      in.writeInbound(wire.readRetainedSlice(1));
    }
    wire.release();
    Message decoded = in.readInbound();
    assertNull(in.readInbound());
    assertFalse(out.finishAndReleaseAll());
    assertFalse(in.finishAndReleaseAll());
    return decoded;
  }

  @Test
  void controlRoundTrips() {
    byte[] body = "hello executor".getBytes(StandardCharsets.UTF_8);
    Message.Control decoded = (Message.Control) roundTrip(new Message.Control(body));
    assertArrayEquals(body, decoded.body());
    assertArrayEquals(new byte[0], ((Message.Control) roundTrip(new Message.Control(new byte[0]))).body());
  }

  @Test
  void fetchMessagesRoundTrip() {
    assertEquals(new Message.FetchRequest(7, "shuffle_1_2_3_4 ünïcode", 1L << 40, 4096),
        roundTrip(new Message.FetchRequest(7, "shuffle_1_2_3_4 ünïcode", 1L << 40, 4096)));
    Message.FetchResponse response = (Message.FetchResponse) roundTrip(
        new Message.FetchResponse(9, 1000, new byte[] {1, 2, 3}));
    assertEquals(9, response.requestId());
    assertEquals(1000, response.blockLength());
    assertArrayEquals(new byte[] {1, 2, 3}, response.data());
    assertEquals(new Message.FetchFailure(11, "no such block"), roundTrip(new Message.FetchFailure(11, "no such block")));
  }

  @Test
  void fetchResponseHeaderMatchesTheWholeFrameEncoding() {
    ByteBuf header = MessageEncoder.fetchResponseHeader(ByteBufAllocator.DEFAULT, 5, 100, 3);
    ByteBuf whole = MessageEncoder.encode(ByteBufAllocator.DEFAULT, new Message.FetchResponse(5, 100, new byte[] {7, 8, 9}));
    assertEquals(Wire.FETCH_RESPONSE_HEADER_BYTES, header.readableBytes());
    assertEquals(header, whole.slice(0, Wire.FETCH_RESPONSE_HEADER_BYTES));
    header.release();
    whole.release();
  }

  @Test
  void frameOverTheLimitIsRejectedBeforeItIsBuffered() {
    EmbeddedChannel in = decoder();
    ByteBuf frame = Unpooled.buffer().writeInt(CONF.maxFrameBytes()).writeByte(Wire.CONTROL).writeZero(16);
    assertThrows(TooLongFrameException.class, () -> in.writeInbound(frame));
    assertNull(in.readInbound());
    in.finishAndReleaseAll();
    assertEquals(0, frame.refCnt());
  }

  @Test
  void frameAtTheLimitIsAccepted() {
    EmbeddedChannel in = decoder();
    int body = CONF.maxControlBytes();
    ByteBuf frame = Unpooled.buffer().writeInt(1 + body).writeByte(Wire.CONTROL).writeZero(body);
    assertTrue(in.writeInbound(frame));
    assertEquals(body, ((Message.Control) in.readInbound()).body().length);
    assertFalse(in.finishAndReleaseAll());
  }

  @Test
  void classMessagesRoundTrip() {
    assertEquals(new Message.ClassRequest(3, "REPL.$JShell$12$Wörd"), roundTrip(new Message.ClassRequest(3, "REPL.$JShell$12$Wörd")));
    Message.ClassResponse response = (Message.ClassResponse) roundTrip(
        new Message.ClassResponse(4, new byte[] {(byte) 0xCA, (byte) 0xFE}, new byte[] {9, 8, 7}));
    assertEquals(4, response.requestId());
    assertArrayEquals(new byte[] {(byte) 0xCA, (byte) 0xFE}, response.bytecode());
    assertArrayEquals(new byte[] {9, 8, 7}, response.attachment());
    Message.ClassResponse bare = (Message.ClassResponse) roundTrip(new Message.ClassResponse(5, new byte[0], new byte[0]));
    assertEquals(0, bare.bytecode().length + bare.attachment().length);
    assertEquals(new Message.ClassMissing(6, "not served"), roundTrip(new Message.ClassMissing(6, "not served")));
  }

  @Test
  void malformedClassFramesAreRejectedAndReleased() {
    // class name length says 50 but the frame holds 2 bytes
    assertMalformed(Unpooled.buffer().writeInt(1 + 8 + 2 + 2).writeByte(Wire.CLASS_REQUEST)
        .writeLong(1).writeShort(50).writeBytes(new byte[2]));
    // a name longer than the limit
    int tooLong = Wire.MAX_CLASS_NAME_BYTES + 1;
    assertMalformed(Unpooled.buffer().writeInt(1 + 8 + 2 + tooLong).writeByte(Wire.CLASS_REQUEST)
        .writeLong(1).writeShort(tooLong).writeBytes(new byte[tooLong]));
    // class file length past the frame's end, and a negative one
    assertMalformed(Unpooled.buffer().writeInt(1 + 8 + 4 + 3).writeByte(Wire.CLASS_RESPONSE)
        .writeLong(1).writeInt(4).writeBytes(new byte[3]));
    assertMalformed(Unpooled.buffer().writeInt(1 + 8 + 4).writeByte(Wire.CLASS_RESPONSE).writeLong(1).writeInt(-1));
    assertMalformed(Unpooled.buffer().writeInt(1 + 4).writeByte(Wire.CLASS_MISSING).writeInt(1));
  }

  @Test
  void malformedFramesAreRejectedAndReleased() {
    assertMalformed(Unpooled.buffer().writeInt(1).writeByte(99));
    assertMalformed(Unpooled.buffer().writeInt(0));
    assertMalformed(Unpooled.buffer().writeInt(5).writeByte(Wire.FETCH_REQUEST).writeInt(1));
    // block id length says 200 but the frame holds 3 bytes
    assertMalformed(Unpooled.buffer().writeInt(1 + 8 + 8 + 4 + 2 + 3).writeByte(Wire.FETCH_REQUEST)
        .writeLong(1).writeLong(0).writeInt(10).writeShort(200).writeBytes(new byte[3]));
  }

  @Test
  void lengthFieldIsUnsignedSoANegativeOneIsJustTooLong() {
    EmbeddedChannel in = decoder();
    ByteBuf frame = Unpooled.buffer().writeInt(-1).writeByte(Wire.CONTROL);
    assertThrows(TooLongFrameException.class, () -> in.writeInbound(frame));
    in.finishAndReleaseAll();
    assertEquals(0, frame.refCnt());
  }

  private static void assertMalformed(ByteBuf frame) {
    EmbeddedChannel in = decoder();
    DecoderException e = assertThrows(DecoderException.class, () -> in.writeInbound(frame));
    assertTrue(e instanceof CorruptedFrameException || e.getCause() instanceof CorruptedFrameException, e.toString());
    assertNull(in.readInbound());
    in.finishAndReleaseAll();
    assertEquals(0, frame.refCnt());
  }

  @Test
  void longFailureMessagesAreCut() {
    String longText = "x".repeat(100_000);
    Message.FetchFailure decoded = (Message.FetchFailure) roundTrip(new Message.FetchFailure(1, longText));
    assertTrue(decoded.message().length() < 3000);
  }

  @Test
  void confValidatesAndHidesTheSecret() {
    assertThrows(IllegalArgumentException.class, () -> new TransportConf(new byte[8], 1 << 20, 1 << 10, 1000));
    assertThrows(IllegalArgumentException.class, () -> new TransportConf(NetTestSupport.SECRET, 1024, 1024, 1000));
    TransportConf conf = TransportConf.defaults(NetTestSupport.SECRET);
    assertFalse(conf.toString().contains("test secret"));
    conf.secret()[0] = 0;
    assertArrayEquals(NetTestSupport.SECRET, conf.secret());
  }
}
