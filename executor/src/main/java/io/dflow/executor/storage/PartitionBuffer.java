package io.dflow.executor.storage;

import io.dflow.api.Encoder;
import io.dflow.arrow.DeserializationPolicy;
import io.dflow.arrow.SegmentEncoder;
import io.dflow.arrow.SegmentReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One partition's records encoded as an Arrow segment (the dataset's encoder), in memory or, past
 * a size, in a local file: a cached partition, or one that a task reads twice. Its size is exact,
 * so the block store can bound its memory by it. Immutable once written; readers may overlap.
 */
public final class PartitionBuffer implements Closeable {
  /** Largest partition a buffer holds: one segment is read as one buffer. */
  static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  private final Encoder<?> encoder;
  private final long records;
  private volatile byte[] heap;
  private final int heapLength;
  private volatile Path file;
  private final long bytes;

  private PartitionBuffer(Encoder<?> encoder, long records, byte[] heap, int heapLength, Path file, long bytes) {
    this.encoder = encoder;
    this.records = records;
    this.heap = heap;
    this.heapLength = heapLength;
    this.file = file;
    this.bytes = bytes;
  }

  /**
   * Encodes {@code records}, in memory up to {@code memoryLimit} bytes and past that in the file
   * {@code spillFile} gives (0: straight to a file).
   */
  public static PartitionBuffer write(Iterator<?> records, Encoder<?> encoder, BufferAllocator allocator,
      long memoryLimit, Supplier<Path> spillFile) throws IOException {
    SpillingChannel out = new SpillingChannel(memoryLimit, spillFile);
    long n;
    try (out) {
      n = SegmentEncoder.write(records, encoder, allocator, out);
    } catch (IOException | RuntimeException | Error e) {
      if (out.file() != null) {
        Files.deleteIfExists(out.file());
      }
      throw e;
    }
    if (out.size() > MAX_BYTES) {
      Files.deleteIfExists(out.file());
      throw new IOException("a partition of " + out.size() + " bytes is too large to keep (at most "
          + MAX_BYTES + "): use more partitions");
    }
    return new PartitionBuffer(encoder, n, out.heap(), out.heapLength(), out.file(), out.size());
  }

  /** A buffer over a segment held in memory (a block fetched from another executor). */
  public static PartitionBuffer ofBytes(Encoder<?> encoder, byte[] segment) {
    return new PartitionBuffer(encoder, -1, segment, segment.length, null, segment.length);
  }

  /** A buffer over a segment kept in {@code file}. */
  static PartitionBuffer ofFile(Encoder<?> encoder, Path file, long bytes) {
    return new PartitionBuffer(encoder, -1, null, 0, file, bytes);
  }

  /**
   * The records, decoded with {@code allocator}; close the returned reader (it holds at most one
   * batch of Arrow memory).
   */
  public SegmentReader read(BufferAllocator allocator, DeserializationPolicy policy) throws IOException {
    return SegmentReader.open(segment(), encoder, allocator, policy);
  }

  private ByteBuffer segment() throws IOException {
    byte[] h = heap;
    if (h != null) {
      return ByteBuffer.wrap(h, 0, heapLength);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes);
    }
  }

  public long bytes() {
    return bytes;
  }

  /** Records written, or -1 when the buffer was made from bytes. */
  public long records() {
    return records;
  }

  public boolean inMemory() {
    return heap != null;
  }

  /** The segment, when in memory: valid up to {@link #bytes()}. */
  byte[] heap() {
    return heap;
  }

  /** The file holding the segment, when not in memory. */
  Path file() {
    return file;
  }

  /** Puts the segment in {@code target} (writing it out, or moving its file) and drops it from memory. */
  void moveTo(Path target) throws IOException {
    byte[] h = heap;
    if (h != null) {
      Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(h, 0, heapLength);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      file = target;
      heap = null;
    } else if (!file.equals(target)) {
      Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      file = target;
    }
  }

  /** Deletes the file, if any; memory goes with the last reference. */
  @Override
  public void close() throws IOException {
    Path f = file;
    if (f != null) {
      Files.deleteIfExists(f);
    }
  }
}
