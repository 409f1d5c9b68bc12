package io.dflow.arrow;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * Arrow's {@code LZ4_FRAME} codec: each buffer is one frame of the LZ4 frame format, written and
 * read with lz4-java's frame streams (native LZ4 and xxHash where the library loads, else pure
 * Java). Frames have independent blocks (the only kind lz4-java reads) of 64 KiB (LZ4's match
 * window, and the LZ4 library's default), the content size and a content checksum, so a damaged
 * block is detected rather than decoded into other values. Compressing or decompressing a frame
 * takes two heap buffers of its block size (at most 4 MiB each when reading, whatever a frame
 * header claims), dropped when the call returns.
 */
final class Lz4FrameCodec extends BufferCodec {
  private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
  private static final LZ4SafeDecompressor DECOMPRESSOR =
      LZ4Factory.fastestInstance().safeDecompressor();
  private static final XXHash32 HASH = XXHashFactory.fastestInstance().hash32();
  /** Magic, FLG, BD, content size, header checksum. */
  private static final int HEADER_BYTES = 4 + 1 + 1 + 8 + 1;
  /** End mark and content checksum. */
  private static final int TRAILER_BYTES = 4 + 4;
  private static final LZ4FrameOutputStream.BLOCKSIZE BLOCK =
      LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB;
  private static final long BLOCK_BYTES = 64 << 10;

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
    // A block that does not compress is stored as it is, behind its 4-byte length.
    return HEADER_BYTES + blocks * Integer.BYTES + length + TRAILER_BYTES;
  }

  @Override
  long compressFrame(ArrowBuf in, long length, ArrowBuf out, long at) {
    ArrowBufOutput sink = new ArrowBufOutput(out, at, at + maxFrameBytes(length));
    try (LZ4FrameOutputStream frame = new LZ4FrameOutputStream(sink, BLOCK, length,
        COMPRESSOR, HASH, LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
        LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
      byte[] chunk = new byte[(int) Math.min(length, CHUNK_BYTES)];
      for (long done = 0; done < length; ) {
        int n = (int) Math.min(chunk.length, length - done);
        in.getBytes(done, chunk, 0, n);
        frame.write(chunk, 0, n);
        done += n;
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot happen: writing an LZ4 frame to memory", e);
    }
    return sink.position - at;
  }

  @Override
  void decompressFrame(ArrowBuf in, long at, long frameBytes, ArrowBuf out, long expected)
      throws IOException {
    ArrowBufInput source = new ArrowBufInput(in, at, at + frameBytes);
    LZ4FrameInputStream frame = new LZ4FrameInputStream(source, DECOMPRESSOR, HASH, true);
    byte[] chunk = new byte[(int) Math.min(expected, CHUNK_BYTES)];
    long done = 0;
    while (done < expected) {
      int n = frame.read(chunk, 0, (int) Math.min(chunk.length, expected - done));
      if (n < 0) {
        throw new CorruptBufferException("an LZ4 frame holds " + done + " bytes, not the "
            + expected + " bytes announced");
      }
      out.setBytes(done, chunk, 0, n);
      done += n;
    }
    // Reads the end mark and checks the content checksum and size.
    if (frame.read() >= 0) {
      throw new CorruptBufferException("an LZ4 frame holds more than the " + expected
          + " bytes announced");
    }
    if (source.position != source.end) {
      throw new CorruptBufferException((source.end - source.position)
          + " bytes after the LZ4 frame of the " + expected + " bytes announced");
    }
  }

  /** Reads {@code buf[position .. end)}. */
  private static final class ArrowBufInput extends InputStream {
    private final ArrowBuf buf;
    private final long end;
    private long position;

    ArrowBufInput(ArrowBuf buf, long start, long end) {
      this.buf = buf;
      this.position = start;
      this.end = end;
    }

    @Override
    public int read() {
      return position < end ? buf.getByte(position++) & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (position == end) {
        return -1;
      }
      int n = (int) Math.min(len, end - position);
      buf.getBytes(position, b, off, n);
      position += n;
      return n;
    }
  }

  /** Writes into {@code buf[position .. end)}. */
  private static final class ArrowBufOutput extends OutputStream {
    private final ArrowBuf buf;
    private final long end;
    private long position;

    ArrowBufOutput(ArrowBuf buf, long start, long end) {
      this.buf = buf;
      this.position = start;
      this.end = end;
    }

    @Override
    public void write(int b) {
      room(1);
      buf.setByte(position++, b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      room(len);
      buf.setBytes(position, b, off, len);
      position += len;
    }

    private void room(int n) {
      if (n > end - position) {
        throw new IllegalStateException("an LZ4 frame outgrew its bound of "
            + (end - position) + " bytes");
      }
    }
  }
}
