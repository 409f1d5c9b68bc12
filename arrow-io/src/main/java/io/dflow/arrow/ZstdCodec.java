package io.dflow.arrow;

import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * Arrow's {@code ZSTD} codec: each buffer is one zstd frame (zstd-jni, straight between Arrow
 * buffers), with the content size and a content checksum, so a damaged block is detected rather
 * than decoded into other values.
 */
final class ZstdCodec extends BufferCodec {
  /** zstd's default level, as for spill blocks. */
  static final int DEFAULT_LEVEL = 3;

  private final int level;

  ZstdCodec() {
    this(DEFAULT_LEVEL);
  }

  ZstdCodec(int level) {
    this.level = level;
  }

  @Override
  public CompressionUtil.CodecType getCodecType() {
    return CompressionUtil.CodecType.ZSTD;
  }

  @Override
  String name() {
    return "zstd";
  }

  @Override
  long maxFrameBytes(long length) {
    return Zstd.compressBound(length);
  }

  @Override
  long compressFrame(ArrowBuf in, long length, ArrowBuf out, long at) {
    int room = (int) maxFrameBytes(length);
    ByteBuffer src = in.nioBuffer(0, (int) length);
    ByteBuffer dst = out.nioBuffer(at, room);
    long n = Zstd.compressDirectByteBuffer(dst, 0, room, src, 0, (int) length, level, true);
    if (Zstd.isError(n)) {
      throw new IllegalStateException("zstd could not compress a buffer of " + length
          + " bytes: " + Zstd.getErrorName(n));
    }
    return n;
  }

  @Override
  void decompressFrame(ArrowBuf in, long at, long frameBytes, ArrowBuf out, long expected) {
    ByteBuffer src = in.nioBuffer(at, (int) frameBytes);
    ByteBuffer dst = out.nioBuffer(0, (int) expected);
    long n = Zstd.decompressDirectByteBuffer(dst, 0, (int) expected, src, 0, (int) frameBytes);
    if (Zstd.isError(n)) {
      throw new CorruptBufferException("a damaged zstd frame of " + frameBytes
          + " bytes, or one holding more than the " + expected + " bytes announced: "
          + Zstd.getErrorName(n));
    }
    if (n != expected) {
      throw new CorruptBufferException("a zstd frame holds " + n + " bytes, not the " + expected
          + " bytes announced");
    }
  }
}
