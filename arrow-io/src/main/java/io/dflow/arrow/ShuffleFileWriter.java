package io.dflow.arrow;

import io.dflow.api.Encoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Objects;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Writes a map task's output: one data file with an Arrow IPC stream segment per reduce
 * partition (zero bytes for an empty one) and one {@link ShuffleIndex} file. Record batches
 * carry Arrow body compression with the writer's {@link Compression} (none for
 * {@link Compression#NONE}, the default).
 *
 * <p>Both files are written under temporary names in their target directories and renamed
 * into place at the end, the data file first: a crash or an exception never leaves a partial
 * file under a final name, and an index under its final name means the output is complete.
 * Files are not fsynced: shuffle output does not outlive its executor.
 */
public final class ShuffleFileWriter {
  private static final int WRITE_BUFFER_BYTES = 1 << 16;

  private final RecordLayout layout;
  private final BufferAllocator allocator;
  private final BatchLimits limits;
  private final Compression compression;

  /** An uncompressed writer with {@link BatchLimits#DEFAULT}. */
  public ShuffleFileWriter(Encoder<?> encoder, BufferAllocator allocator) {
    this(encoder, allocator, BatchLimits.DEFAULT);
  }

  /** A writer with {@link BatchLimits#DEFAULT} whose record batches {@code compression} compresses. */
  public ShuffleFileWriter(Encoder<?> encoder, BufferAllocator allocator, Compression compression) {
    this(encoder, allocator, BatchLimits.DEFAULT, compression);
  }

  /** An uncompressed writer for records of {@code encoder}, taking Arrow memory from {@code allocator}. */
  public ShuffleFileWriter(Encoder<?> encoder, BufferAllocator allocator, BatchLimits limits) {
    this(encoder, allocator, limits, Compression.NONE);
  }

  /**
   * A writer for records of {@code encoder}, taking Arrow memory from {@code allocator}, whose
   * record batches carry Arrow body compression with {@code compression}'s codec (LZ4 frames or
   * zstd), or none for {@link Compression#NONE}.
   */
  public ShuffleFileWriter(Encoder<?> encoder, BufferAllocator allocator, BatchLimits limits,
      Compression compression) {
    this.layout = RecordLayout.of(encoder);
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.compression = Objects.requireNonNull(compression, "compression");
  }

  /**
   * Writes partitions {@code 0 .. numPartitions - 1}, asking {@code partitions} for each one's
   * records (already partitioned and combined) in order, and replaces any existing files.
   *
   * @throws IllegalArgumentException if a record does not match the encoder
   */
  public ShuffleWriteResult write(Path dataFile, Path indexFile, int numPartitions,
      IntFunction<? extends Iterator<?>> partitions) throws IOException {
    if (numPartitions < 1 || numPartitions > ShuffleIndex.MAX_PARTITIONS) {
      throw new IllegalArgumentException("numPartitions must be between 1 and "
          + ShuffleIndex.MAX_PARTITIONS + ": " + numPartitions);
    }
    Path dataTemp = temporarySibling(dataFile);
    Path indexTemp = temporarySibling(indexFile);
    try {
      long[] lengths = new long[numPartitions];
      long[] records = new long[numPartitions];
      long[] rawLengths = new long[numPartitions];
      writeData(dataTemp, numPartitions, partitions, lengths, records, rawLengths);
      writeIndex(indexTemp, lengths);
      Files.move(dataTemp, dataFile, StandardCopyOption.ATOMIC_MOVE);
      Files.move(indexTemp, indexFile, StandardCopyOption.ATOMIC_MOVE);
      return new ShuffleWriteResult(lengths, records, rawLengths);
    } catch (IOException | RuntimeException | Error e) {
      deleteQuietly(dataTemp, e);
      deleteQuietly(indexTemp, e);
      throw e;
    }
  }

  private void writeData(Path file, int numPartitions,
      IntFunction<? extends Iterator<?>> partitions, long[] lengths, long[] records, long[] rawLengths)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        BufferedChannel out = new BufferedChannel(channel, WRITE_BUFFER_BYTES);
        SegmentWriter segments = new SegmentWriter(layout, allocator, limits, compression)) {
      for (int p = 0; p < numPartitions; p++) {
        Iterator<?> input = Objects.requireNonNull(partitions.apply(p),
            "no record iterator for partition " + p);
        SegmentWriter.Written written;
        try {
          written = segments.write(input, out);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("partition " + p + " of " + file.getFileName()
              + ": " + e.getMessage(), e);
        }
        lengths[p] = written.bytes();
        records[p] = written.records();
        rawLengths[p] = written.rawBytes();
      }
    }
  }

  private static void writeIndex(Path file, long[] lengths) throws IOException {
    long[] offsets = new long[lengths.length + 1];
    for (int p = 0; p < lengths.length; p++) {
      offsets[p + 1] = offsets[p] + lengths[p];
    }
    try (OutputStream out = new BufferedOutputStream(
        Files.newOutputStream(file, StandardOpenOption.CREATE_NEW))) {
      ShuffleIndex.write(offsets, out);
    }
  }

  private static Path temporarySibling(Path file) {
    Path name = Objects.requireNonNull(file.getFileName(), "not a file path: " + file);
    return file.resolveSibling("." + name + "." + UUID.randomUUID() + ".tmp");
  }

  private static void deleteQuietly(Path file, Throwable failure) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
