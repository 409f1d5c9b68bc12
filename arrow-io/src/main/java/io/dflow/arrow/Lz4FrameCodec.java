package io.dflow.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * Arrow's {@code LZ4_FRAME} codec: each buffer is one frame of the LZ4 frame format. Frames are
 * written with independent blocks of 64 KiB (LZ4's match window, and the LZ4 library's
 * default), the content size and a content checksum, so a damaged block is detected rather than
 * decoded into other values; a block that does not compress is stored as it is.
 *
 * <p>The frame is laid out here and each block compressed or decompressed by lz4-java's block
 * codec (native LZ4 and xxHash where the library loads, else pure Java) straight between the
 * Arrow buffers: no byte goes through the heap, and the checksum is one pass over the content.
 * Reading takes frames of any block size, with or without block checksums, content size and
 * content checksum (Arrow's own writer uses 4 MiB blocks), as long as their blocks are
 * independent (as lz4-java's frame reader requires too); each block is checked to decode within
 * its frame's block size and the bytes announced.
 */
final class Lz4FrameCodec extends BufferCodec {
  private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
  private static final LZ4SafeDecompressor DECOMPRESSOR =
      LZ4Factory.fastestInstance().safeDecompressor();
  private static final XXHash32 HASH = XXHashFactory.fastestInstance().hash32();
  private static final int MAGIC = 0x184D2204;
  /** Magic, FLG, BD, content size, header checksum. */
  private static final int HEADER_BYTES = 4 + 1 + 1 + 8 + 1;
  /** End mark and content checksum. */
  private static final int TRAILER_BYTES = 4 + 4;
  private static final int BLOCK_BYTES = 64 << 10;
  /** What LZ4 may write for a block beyond its size, before it is found not to compress. */
  private static final int BLOCK_SLACK = COMPRESSOR.maxCompressedLength(BLOCK_BYTES) - BLOCK_BYTES;
  /** Version 01, independent blocks, content size, content checksum. */
  private static final int FLG_WRITTEN = 0x6C;
  /** Block maximum size 64 KiB. */
  private static final int BD_WRITTEN = 4 << 4;
  private static final int FLG_VERSION_MASK = 0xC0;
  private static final int FLG_VERSION = 0x40;
  private static final int FLG_BLOCK_INDEPENDENCE = 0x20;
  private static final int FLG_BLOCK_CHECKSUM = 0x10;
  private static final int FLG_CONTENT_SIZE = 0x08;
  private static final int FLG_CONTENT_CHECKSUM = 0x04;
  private static final int FLG_RESERVED = 0x02;
  private static final int FLG_DICTIONARY = 0x01;
  /** The high bit of a block's size: stored uncompressed. */
  private static final int RAW_BLOCK = 0x80000000;

  @Override
  public CompressionUtil.CodecType getCodecType() {
    return CompressionUtil.CodecType.LZ4_FRAME;
  }

  @Override
  String name() {
    return "LZ4";
  }

  @Override
  long maxFrameBytes(long length) {
    long blocks = (length + BLOCK_BYTES - 1) / BLOCK_BYTES;
    // A block that does not compress is stored as it is, behind its 4-byte length; the slack
    // is room for LZ4's attempt at the last one.
    return HEADER_BYTES + blocks * Integer.BYTES + length + TRAILER_BYTES + BLOCK_SLACK;
  }

  @Override
  long compressFrame(ArrowBuf in, long length, ArrowBuf out, long at) {
    int room = (int) maxFrameBytes(length);
    ByteBuffer src = in.nioBuffer(0, (int) length);
    ByteBuffer dst = out.nioBuffer(at, room).order(ByteOrder.LITTLE_ENDIAN);
    dst.putInt(0, MAGIC);
    dst.put(4, (byte) FLG_WRITTEN);
    dst.put(5, (byte) BD_WRITTEN);
    dst.putLong(6, length);
    dst.put(14, headerChecksum(dst, 4, 10));
    int pos = HEADER_BYTES;
    for (int done = 0; done < length; ) {
      int n = (int) Math.min(BLOCK_BYTES, length - done);
      int packed = COMPRESSOR.compress(src, done, n, dst, pos + Integer.BYTES, room - pos - Integer.BYTES);
      if (packed < n) {
        dst.putInt(pos, packed);
      } else {
        dst.putInt(pos, n | RAW_BLOCK);
        out.setBytes(at + pos + Integer.BYTES, in, done, n);
        packed = n;
      }
      pos += Integer.BYTES + packed;
      done += n;
    }
    dst.putInt(pos, 0);
    dst.putInt(pos + Integer.BYTES, HASH.hash(src, 0, (int) length, 0));
    return pos + TRAILER_BYTES;
  }

  @Override
  void decompressFrame(ArrowBuf in, long at, long frameBytes, ArrowBuf out, long expected) {
    ByteBuffer src = in.nioBuffer(at, (int) frameBytes).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer dst = out.nioBuffer(0, (int) expected);
    int end = (int) frameBytes;
    int pos = readHeader(src, end, expected);
    int flags = src.get(4) & 0xFF;
    int blockMax = 1 << (8 + 2 * ((src.get(5) >> 4) & 7));
    int done = 0;
    while (true) {
      need(src, pos, Integer.BYTES, "a block size");
      int size = src.getInt(pos);
      pos += Integer.BYTES;
      if (size == 0) {
        break;
      }
      int stored = size & ~RAW_BLOCK;
      if (stored > blockMax) {
        throw new CorruptBufferException("an LZ4 block of " + stored + " bytes in a frame of "
            + blockMax + "-byte blocks");
      }
      need(src, pos, stored, "a block");
      int room = (int) Math.min(blockMax, expected - done);
      int n;
      if ((size & RAW_BLOCK) != 0) {
        if (stored > room) {
          throw tooMuch(expected);
        }
        out.setBytes(done, in, at + pos, stored);
        n = stored;
      } else {
        n = DECOMPRESSOR.decompress(src, pos, stored, dst, done, room);
      }
      if ((flags & FLG_BLOCK_CHECKSUM) != 0) {
        need(src, pos + stored, Integer.BYTES, "a block checksum");
        if (HASH.hash(src, pos, stored, 0) != src.getInt(pos + stored)) {
          throw new CorruptBufferException("an LZ4 block fails its checksum");
        }
        pos += Integer.BYTES;
      }
      pos += stored;
      done += n;
    }
    if (done != expected) {
      throw new CorruptBufferException("an LZ4 frame holds " + done + " bytes, not the "
          + expected + " bytes announced");
    }
    if ((flags & FLG_CONTENT_CHECKSUM) != 0) {
      need(src, pos, Integer.BYTES, "the content checksum");
      if (HASH.hash(dst, 0, done, 0) != src.getInt(pos)) {
        throw new CorruptBufferException("an LZ4 frame fails its content checksum");
      }
      pos += Integer.BYTES;
    }
    if (pos != end) {
      throw new CorruptBufferException((end - pos) + " bytes after the LZ4 frame of the "
          + expected + " bytes announced");
    }
  }

  /** Checks the frame's header; returns where its first block starts. */
  private static int readHeader(ByteBuffer src, int end, long expected) {
    need(src, 0, 7, "a frame header");
    if (src.getInt(0) != MAGIC) {
      throw new CorruptBufferException("not an LZ4 frame (magic " + Integer.toHexString(src.getInt(0)) + ")");
    }
    int flags = src.get(4) & 0xFF;
    int bd = src.get(5) & 0xFF;
    if ((flags & FLG_VERSION_MASK) != FLG_VERSION || (flags & (FLG_RESERVED | FLG_DICTIONARY)) != 0
        || (bd & 0x8F) != 0 || ((bd >> 4) & 7) < 4) {
      throw new CorruptBufferException("an LZ4 frame header with flags " + Integer.toHexString(flags)
          + " and block descriptor " + Integer.toHexString(bd) + " this reader does not take");
    }
    if ((flags & FLG_BLOCK_INDEPENDENCE) == 0) {
      throw new CorruptBufferException("an LZ4 frame of dependent blocks, which this reader does not take");
    }
    int descriptor = 2;
    if ((flags & FLG_CONTENT_SIZE) != 0) {
      need(src, 0, 4 + 2 + 8 + 1, "a frame header");
      long size = src.getLong(6);
      if (size != expected) {
        throw new CorruptBufferException("an LZ4 frame says it holds " + size + " bytes, not the "
            + expected + " bytes announced");
      }
      descriptor += 8;
    }
    if (src.get(4 + descriptor) != headerChecksum(src, 4, descriptor)) {
      throw new CorruptBufferException("an LZ4 frame header fails its checksum");
    }
    return 4 + descriptor + 1;
  }

  /** The frame format's header checksum: the second byte of the descriptor's xxHash32. */
  private static byte headerChecksum(ByteBuffer frame, int from, int length) {
    return (byte) (HASH.hash(frame, from, length, 0) >> 8);
  }

  private static void need(ByteBuffer src, int at, int bytes, String what) {
    if (bytes < 0 || at > src.limit() - bytes) {
      throw new CorruptBufferException("an LZ4 frame of " + src.limit() + " bytes ends inside " + what);
    }
  }

  private static CorruptBufferException tooMuch(long expected) {
    return new CorruptBufferException("an LZ4 frame holds more than the " + expected + " bytes announced");
  }
}
