package io.dflow.executor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes one frame (length prefix already stripped by the frame decoder) into a
 * {@link Message}, in the format of {@link Wire}. The frame buffer is released by the superclass
 * after decoding; the message copies what it needs onto the heap. A malformed frame raises a
 * {@link CorruptedFrameException}, which closes the connection.
 */
final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    out.add(decode(frame));
  }

  /** Decodes a whole frame; does not release it. */
  static Message decode(ByteBuf frame) {
    require(frame, Wire.TYPE_BYTES, "message type");
    byte type = frame.readByte();
    switch (type) {
      case Wire.CONTROL:
        return new Message.Control(ByteBufUtil.getBytes(frame, frame.readerIndex(), frame.readableBytes()));
      case Wire.FETCH_REQUEST: {
        require(frame, 8 + 8 + 4 + 2, "fetch request");
        long requestId = frame.readLong();
        long offset = frame.readLong();
        int maxLength = frame.readInt();
        int idLength = frame.readUnsignedShort();
        if (idLength > Wire.MAX_BLOCK_ID_BYTES || frame.readableBytes() != idLength) {
          throw new CorruptedFrameException("bad block id length " + idLength + " in fetch request of "
              + (frame.readableBytes()) + " remaining bytes");
        }
        String blockId = frame.toString(frame.readerIndex(), idLength, StandardCharsets.UTF_8);
        return new Message.FetchRequest(requestId, blockId, offset, maxLength);
      }
      case Wire.FETCH_RESPONSE: {
        require(frame, 8 + 8, "fetch response");
        long requestId = frame.readLong();
        long blockLength = frame.readLong();
        byte[] data = ByteBufUtil.getBytes(frame, frame.readerIndex(), frame.readableBytes());
        return new Message.FetchResponse(requestId, blockLength, data);
      }
      case Wire.FETCH_FAILURE: {
        require(frame, 8, "fetch failure");
        long requestId = frame.readLong();
        String message = frame.toString(frame.readerIndex(), frame.readableBytes(), StandardCharsets.UTF_8);
        return new Message.FetchFailure(requestId, message);
      }
      case Wire.CLASS_REQUEST: {
        require(frame, 8 + 2, "class request");
        long requestId = frame.readLong();
        int nameLength = frame.readUnsignedShort();
        if (nameLength > Wire.MAX_CLASS_NAME_BYTES || frame.readableBytes() != nameLength) {
          throw new CorruptedFrameException("bad class name length " + nameLength + " in class request of "
              + frame.readableBytes() + " remaining bytes");
        }
        return new Message.ClassRequest(requestId, frame.toString(frame.readerIndex(), nameLength, StandardCharsets.UTF_8));
      }
      case Wire.CLASS_RESPONSE: {
        require(frame, 8 + 4, "class response");
        long requestId = frame.readLong();
        int bytecodeLength = frame.readInt();
        if (bytecodeLength < 0 || bytecodeLength > frame.readableBytes()) {
          throw new CorruptedFrameException("bad class file length " + bytecodeLength + " in class response of "
              + frame.readableBytes() + " remaining bytes");
        }
        byte[] bytecode = ByteBufUtil.getBytes(frame, frame.readerIndex(), bytecodeLength);
        frame.skipBytes(bytecodeLength);
        byte[] attachment = ByteBufUtil.getBytes(frame, frame.readerIndex(), frame.readableBytes());
        return new Message.ClassResponse(requestId, bytecode, attachment);
      }
      case Wire.CLASS_MISSING: {
        require(frame, 8, "class missing");
        long requestId = frame.readLong();
        String message = frame.toString(frame.readerIndex(), frame.readableBytes(), StandardCharsets.UTF_8);
        return new Message.ClassMissing(requestId, message);
      }
      default:
        throw new CorruptedFrameException("unknown message type " + type);
    }
  }

  private static void require(ByteBuf frame, int bytes, String what) {
    if (frame.readableBytes() < bytes) {
      throw new CorruptedFrameException(what + " frame too short: " + frame.readableBytes() + " bytes");
    }
  }
}
