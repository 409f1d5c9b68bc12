package io.dflow.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

/**
 * Arrow IPC body compression of one buffer, method {@code BUFFER}: the stored buffer is the
 * uncompressed length as a little-endian int64 followed by one LZ4 frame ({@link Lz4FrameCodec})
 * or one zstd frame ({@link ZstdCodec}), or {@code -1} followed by the raw bytes when
 * compressing does not pay. {@link AbstractCompressionCodec} writes and reads that prefix, takes
 * the empty-buffer shortcut (prefix 0, nothing after it) and the raw fallback; the subclasses
 * only turn bytes into a frame and back.
 *
 * <p>On top of Arrow's rule (raw when the frame would be larger than the bytes), a buffer larger
 * than {@link #MAX_BATCH_BYTES} is left raw, and so is one that would take the compressed
 * buffers of its batch past that many uncompressed bytes, counted from {@link #startBatch()}. A
 * reader can therefore refuse, before allocating, any batch that announces more: decompressing
 * a batch never allocates more than {@link #MAX_BATCH_BYTES}, whatever a peer sends. (A writer
 * that never calls {@link #startBatch()}, such as Arrow's own, only gets the per-buffer bound.)
 *
 * <p>{@link #decompress} always releases its input, also when it fails; it fails with a
 * {@link CorruptBufferException} when the frame is damaged or does not hold exactly the
 * announced number of bytes. Instances are cheap and not thread-safe (the batch budget).
 */
abstract class BufferCodec extends AbstractCompressionCodec {
  /** Bytes of the uncompressed-length prefix of a stored buffer. */
  static final long PREFIX_BYTES = CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;

  /** The prefix of a buffer stored raw. */
  static final long RAW = CompressionUtil.NO_COMPRESSION_LENGTH;

  /** Most uncompressed bytes the compressed buffers of one batch announce, together. */
  static final long MAX_BATCH_BYTES = BatchLimits.MAX_BYTES;

  /** These codecs by compression type, for Arrow's own stream readers and writers. */
  static final CompressionCodec.Factory FACTORY = new CompressionCodec.Factory() {
    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
      return switch (codecType) {
        case LZ4_FRAME -> new Lz4FrameCodec();
        case ZSTD -> new ZstdCodec();
        case NO_COMPRESSION -> NoCompressionCodec.INSTANCE;
      };
    }

    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
      return codecType == CompressionUtil.CodecType.ZSTD
          ? new ZstdCodec(compressionLevel) : createCodec(codecType);
    }
  };

  /** Uncompressed bytes the current batch may still compress; negative before any batch. */
  private long budget = -1;

  /** Which places of a batch (a column's validity, offsets or data) are stored raw, untried, for a while. */
  private final CompressionSkips skips = new CompressionSkips();
  /** The place of the next buffer in the current batch. */
  private int place;

  /** The codec that writes {@code compression}'s frames, or null for {@link Compression#NONE}. */
  static BufferCodec forWriting(Compression compression) {
    return switch (compression) {
      case LZ4 -> new Lz4FrameCodec();
      case ZSTD -> new ZstdCodec();
      case NONE -> null;
    };
  }

  /** A codec that reads buffers of {@code type}, which must be LZ4_FRAME or ZSTD. */
  static BufferCodec forReading(CompressionUtil.CodecType type) {
    return switch (type) {
      case LZ4_FRAME -> new Lz4FrameCodec();
      case ZSTD -> new ZstdCodec();
      case NO_COMPRESSION -> throw new IllegalArgumentException("not a compression codec: " + type);
    };
  }

  /** Starts a new record batch: its compressed buffers may again announce {@link #MAX_BATCH_BYTES}. */
  void startBatch() {
    startBatch(MAX_BATCH_BYTES);
  }

  /** Starts a new record batch whose compressed buffers may announce {@code budget} bytes (tests). */
  void startBatch(long budget) {
    this.budget = budget;
    this.place = 0;
  }

  @Override
  public ArrowBuf compress(BufferAllocator allocator, ArrowBuf uncompressedBuffer) {
    long length = uncompressedBuffer.writerIndex();
    int at = place++;
    if (length > 0 && !skips.worthTrying(at)) {
      return raw(allocator, uncompressedBuffer);
    }
    if (length > (budget < 0 ? MAX_BATCH_BYTES : budget)) {
      return raw(allocator, uncompressedBuffer);
    }
    ArrowBuf stored = super.compress(allocator, uncompressedBuffer);
    boolean compressed = readUncompressedLength(stored) != RAW;
    if (budget >= 0 && compressed) {
      budget -= length;
    }
    skips.tried(at, length, compressed ? stored.writerIndex() : length);
    return stored;
  }

  private static ArrowBuf raw(BufferAllocator allocator, ArrowBuf uncompressedBuffer) {
    ArrowBuf raw = CompressionUtil.packageRawBuffer(allocator, uncompressedBuffer);
    uncompressedBuffer.close();
    return raw;
  }

  @Override
  public ArrowBuf decompress(BufferAllocator allocator, ArrowBuf compressedBuffer) {
    try {
      return super.decompress(allocator, compressedBuffer);
    } catch (RuntimeException e) {
      // Arrow's decompress releases its input only on success.
      compressedBuffer.close();
      throw e;
    }
  }

  @Override
  protected final ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressedBuffer) {
    long length = uncompressedBuffer.writerIndex();
    ArrowBuf stored = allocator.buffer(PREFIX_BYTES + maxFrameBytes(length));
    try {
      long frame = compressFrame(uncompressedBuffer, length, stored, PREFIX_BYTES);
      stored.writerIndex(PREFIX_BYTES + frame);
      return stored;
    } catch (RuntimeException e) {
      stored.close();
      throw e;
    }
  }

  @Override
  protected final ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressedBuffer) {
    long announced = readUncompressedLength(compressedBuffer);
    long frameBytes = compressedBuffer.writerIndex() - PREFIX_BYTES;
    if (announced < 0 || announced > MAX_BATCH_BYTES) {
      throw new CorruptBufferException(name() + " buffer announces " + announced
          + " uncompressed bytes");
    }
    ArrowBuf out = allocator.buffer(announced);
    try {
      decompressFrame(compressedBuffer, PREFIX_BYTES, frameBytes, out, announced);
      out.writerIndex(announced);
      return out;
    } catch (CorruptBufferException e) {
      out.close();
      throw e;
    } catch (java.io.IOException | RuntimeException e) {
      // The libraries' own failures on damaged input, whatever their type.
      out.close();
      throw new CorruptBufferException("a damaged " + name() + " frame of " + frameBytes
          + " bytes, or one not holding the " + announced + " bytes announced: " + e, e);
    }
  }

  /** The codec's name in messages. */
  abstract String name();

  /** Most bytes a frame of {@code length} input bytes can take. */
  abstract long maxFrameBytes(long length);

  /**
   * Writes one frame of {@code in[0 .. length)} (length at least 1, at most
   * {@link #MAX_BATCH_BYTES}) into {@code out} from {@code at}, which has
   * {@link #maxFrameBytes} bytes of room; returns the frame's size.
   */
  abstract long compressFrame(ArrowBuf in, long length, ArrowBuf out, long at);

  /**
   * Decodes the one frame in {@code in[at .. at + frameBytes)} into {@code out[0 .. expected)},
   * which must be exactly what it holds; never writes past {@code expected}.
   *
   * @throws CorruptBufferException (or any exception of the library) if it does not
   */
  abstract void decompressFrame(ArrowBuf in, long at, long frameBytes, ArrowBuf out, long expected)
      throws java.io.IOException;

  /** A stored buffer that cannot be decompressed to its announced length. */
  static final class CorruptBufferException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CorruptBufferException(String message) {
      super(message);
    }

    CorruptBufferException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
