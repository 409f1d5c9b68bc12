package io.dflow.executor.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * The client's frame decoder: reads the frames of {@link Wire} from the connection's inbound
 * buffers. The data of a fetch response, nearly all of what a client receives, is not gathered
 * into a frame: after its {@link FetchStream.Header} it goes on as {@link FetchStream.Data}
 * slices of the buffers the socket was read into, so the fetch handler copies each byte once,
 * straight to where the block goes. Every other frame is gathered into one buffer of its exact
 * size and decoded by {@link MessageDecoder}. A frame longer than {@code maxFrameBytes} (prefix
 * included) or a malformed one is a {@link TooLongFrameException} or
 * {@link CorruptedFrameException}, after which nothing more is read (the control handler closes
 * the connection).
 *
 * <p>Threading: one instance per channel, used on its event loop only.
 */
final class ClientFrameDecoder extends ChannelInboundHandlerAdapter {
  /** Bytes of a frame's start that tell what it is: length and type. */
  private static final int PREFIX_BYTES = Wire.LENGTH_FIELD_BYTES + Wire.TYPE_BYTES;

  private final int maxFrameBytes;
  /** The start of the frame being read: its prefix, and for a fetch response its whole header. */
  private final byte[] head = new byte[Wire.FETCH_RESPONSE_HEADER_BYTES];
  private int headBytes;
  /** Request of the fetch response whose data is being passed on, and how many of its bytes are still to come. */
  private long dataRequestId;
  private int dataLeft;
  /** A frame other than a fetch response being gathered, or null. */
  private ByteBuf frame;
  private boolean broken;

  ClientFrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      while (in.isReadable() && !broken) {
        if (dataLeft > 0) {
          int n = Math.min(dataLeft, in.readableBytes());
          dataLeft -= n;
          ctx.fireChannelRead(new FetchStream.Data(dataRequestId, in.readRetainedSlice(n)));
        } else if (frame != null) {
          gather(ctx, in);
        } else {
          readHead(ctx, in);
        }
      }
    } catch (CorruptedFrameException | TooLongFrameException e) {
      broken = true;
      ctx.fireExceptionCaught(e);
    } finally {
      in.release();
    }
  }

  private void readHead(ChannelHandlerContext ctx, ByteBuf in) {
    int wanted = headBytes < PREFIX_BYTES || head[Wire.LENGTH_FIELD_BYTES] != Wire.FETCH_RESPONSE
        ? PREFIX_BYTES : Wire.FETCH_RESPONSE_HEADER_BYTES;
    int n = Math.min(wanted - headBytes, in.readableBytes());
    in.readBytes(head, headBytes, n);
    headBytes += n;
    if (headBytes < Wire.LENGTH_FIELD_BYTES) {
      return;
    }
    int length = intAt(0);
    if (length < Wire.TYPE_BYTES) {
      throw new CorruptedFrameException("frame length " + length + " is less than its type byte");
    }
    if ((long) length + Wire.LENGTH_FIELD_BYTES > maxFrameBytes) {
      throw new TooLongFrameException("frame of " + ((long) length + Wire.LENGTH_FIELD_BYTES)
          + " bytes announced, more than the limit of " + maxFrameBytes);
    }
    if (headBytes < PREFIX_BYTES) {
      return;
    }
    byte type = head[Wire.LENGTH_FIELD_BYTES];
    if (type != Wire.FETCH_RESPONSE) {
      headBytes = 0;
      frame = ctx.alloc().heapBuffer(length, length);
      frame.writeByte(type);
      decodeIfWhole(ctx);
      return;
    }
    int dataLength = length - (Wire.FETCH_RESPONSE_HEADER_BYTES - Wire.LENGTH_FIELD_BYTES);
    if (dataLength < 0) {
      throw new CorruptedFrameException("fetch response frame too short: " + (length - Wire.TYPE_BYTES) + " bytes");
    }
    if (headBytes < Wire.FETCH_RESPONSE_HEADER_BYTES) {
      return;
    }
    headBytes = 0;
    dataRequestId = longAt(PREFIX_BYTES);
    dataLeft = dataLength;
    ctx.fireChannelRead(new FetchStream.Header(dataRequestId, longAt(PREFIX_BYTES + 8), dataLength));
  }

  private void gather(ChannelHandlerContext ctx, ByteBuf in) {
    frame.writeBytes(in, Math.min(frame.writableBytes(), in.readableBytes()));
    decodeIfWhole(ctx);
  }

  private void decodeIfWhole(ChannelHandlerContext ctx) {
    if (frame.isWritable()) {
      return;
    }
    ByteBuf whole = frame;
    frame = null;
    Message message;
    try {
      message = MessageDecoder.decode(whole);
    } finally {
      whole.release();
    }
    ctx.fireChannelRead(message);
  }

  private int intAt(int at) {
    return (head[at] & 0xff) << 24 | (head[at + 1] & 0xff) << 16 | (head[at + 2] & 0xff) << 8 | head[at + 3] & 0xff;
  }

  private long longAt(int at) {
    return (long) intAt(at) << 32 | intAt(at + 4) & 0xffffffffL;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (frame != null) {
      frame.release();
      frame = null;
    }
  }
}
