package io.dflow.executor.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes {@link Message}s into whole frames (length prefix included), in the format of
 * {@link Wire}. Anything else (a fetch response header buffer, a file region) passes through.
 * Each frame is one new buffer, released by the transport once written.
 */
final class MessageEncoder extends MessageToMessageEncoder<Message> {

  MessageEncoder() {
    super(Message.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, List<Object> out) {
    out.add(encode(ctx.alloc(), msg));
  }

  /** One frame holding {@code msg}; the caller owns the buffer. */
  static ByteBuf encode(ByteBufAllocator alloc, Message msg) {
    if (msg instanceof Message.Control c) {
      ByteBuf buf = frame(alloc, Wire.CONTROL, c.body().length);
      return buf.writeBytes(c.body());
    } else if (msg instanceof Message.FetchRequest r) {
      byte[] id = r.blockId().getBytes(StandardCharsets.UTF_8);
      if (id.length > Wire.MAX_BLOCK_ID_BYTES) {
        throw new IllegalArgumentException("block id longer than " + Wire.MAX_BLOCK_ID_BYTES + " bytes");
      }
      ByteBuf buf = frame(alloc, Wire.FETCH_REQUEST, 8 + 8 + 4 + 2 + id.length);
      return buf.writeLong(r.requestId()).writeLong(r.offset()).writeInt(r.maxLength())
          .writeShort(id.length).writeBytes(id);
    } else if (msg instanceof Message.FetchResponse r) {
      ByteBuf buf = alloc.ioBuffer(Wire.FETCH_RESPONSE_HEADER_BYTES + r.data().length);
      writeFetchResponseHeader(buf, r.requestId(), r.blockLength(), r.data().length);
      return buf.writeBytes(r.data());
    } else if (msg instanceof Message.FetchFailure f) {
      byte[] text = abbreviate(f.message()).getBytes(StandardCharsets.UTF_8);
      ByteBuf buf = frame(alloc, Wire.FETCH_FAILURE, 8 + text.length);
      return buf.writeLong(f.requestId()).writeBytes(text);
    } else if (msg instanceof Message.ClassRequest r) {
      byte[] name = r.className().getBytes(StandardCharsets.UTF_8);
      if (name.length > Wire.MAX_CLASS_NAME_BYTES) {
        throw new IllegalArgumentException("class name longer than " + Wire.MAX_CLASS_NAME_BYTES + " bytes");
      }
      ByteBuf buf = frame(alloc, Wire.CLASS_REQUEST, 8 + 2 + name.length);
      return buf.writeLong(r.requestId()).writeShort(name.length).writeBytes(name);
    } else if (msg instanceof Message.ClassResponse r) {
      ByteBuf buf = frame(alloc, Wire.CLASS_RESPONSE, 8 + 4 + r.bytecode().length + r.attachment().length);
      return buf.writeLong(r.requestId()).writeInt(r.bytecode().length).writeBytes(r.bytecode())
          .writeBytes(r.attachment());
    } else if (msg instanceof Message.ClassMissing m) {
      byte[] text = abbreviate(m.message()).getBytes(StandardCharsets.UTF_8);
      ByteBuf buf = frame(alloc, Wire.CLASS_MISSING, 8 + text.length);
      return buf.writeLong(m.requestId()).writeBytes(text);
    }
    throw new IllegalArgumentException("unknown message " + msg.getClass());
  }

  /**
   * The header of a fetch response frame whose {@code dataLength} data bytes follow separately
   * (from a file region); the caller owns the buffer.
   */
  static ByteBuf fetchResponseHeader(ByteBufAllocator alloc, long requestId, long blockLength, int dataLength) {
    ByteBuf buf = alloc.ioBuffer(Wire.FETCH_RESPONSE_HEADER_BYTES);
    return writeFetchResponseHeader(buf, requestId, blockLength, dataLength);
  }

  private static ByteBuf writeFetchResponseHeader(ByteBuf buf, long requestId, long blockLength, int dataLength) {
    buf.writeInt(Wire.FETCH_RESPONSE_HEADER_BYTES - Wire.LENGTH_FIELD_BYTES + dataLength);
    return buf.writeByte(Wire.FETCH_RESPONSE).writeLong(requestId).writeLong(blockLength);
  }

  private static ByteBuf frame(ByteBufAllocator alloc, byte type, int payloadBytes) {
    ByteBuf buf = alloc.ioBuffer(Wire.LENGTH_FIELD_BYTES + Wire.TYPE_BYTES + payloadBytes);
    return buf.writeInt(Wire.TYPE_BYTES + payloadBytes).writeByte(type);
  }

  private static String abbreviate(String s) {
    String text = s == null ? "" : s;
    return text.length() <= Wire.MAX_FAILURE_MESSAGE_CHARS ? text
        : text.substring(0, Wire.MAX_FAILURE_MESSAGE_CHARS) + "...";
  }
}
