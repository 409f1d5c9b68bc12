package io.dflow.arrow;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The index of a map output: where each partition's segment lies in the data file. On disk it
 * is {@code numPartitions + 1} big-endian longs, the segment offsets; partition {@code p} is
 * bytes {@code [offset(p), offset(p + 1))} of the data file. Reading validates the whole
 * index against the data file's length.
 */
public final class ShuffleIndex {
  /** Largest partition count an index may describe (an index of 128 MiB). */
  public static final int MAX_PARTITIONS = 1 << 24;

  private final long[] offsets;

  private ShuffleIndex(long[] offsets) {
    this.offsets = offsets;
  }

  /** Reads and validates {@code indexFile} against the current length of {@code dataFile}. */
  public static ShuffleIndex read(Path indexFile, Path dataFile) throws IOException {
    return read(indexFile, Files.size(dataFile));
  }

  /**
   * Reads and validates {@code indexFile}: its size must be a whole number of offsets for at
   * least one partition, the first offset 0, offsets never decreasing, the last one
   * {@code dataFileLength}.
   *
   * @throws CorruptShuffleDataException naming the file if any of that does not hold
   */
  public static ShuffleIndex read(Path indexFile, long dataFileLength) throws IOException {
    long size = Files.size(indexFile);
    if (size % Long.BYTES != 0 || size < 2 * Long.BYTES
        || size > (MAX_PARTITIONS + 1L) * Long.BYTES) {
      throw corrupt(indexFile, "has " + size + " bytes; an index is (partitions + 1) * 8 bytes"
          + " for 1 to " + MAX_PARTITIONS + " partitions");
    }
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(indexFile)); // big-endian
    if (bytes.capacity() != size) {
      throw corrupt(indexFile, "changed size while being read");
    }
    long[] offsets = new long[(int) (size / Long.BYTES)];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = bytes.getLong(i * Long.BYTES);
    }
    if (offsets[0] != 0) {
      throw corrupt(indexFile, "starts at offset " + offsets[0] + " instead of 0");
    }
    for (int p = 0; p + 1 < offsets.length; p++) {
      if (offsets[p + 1] < offsets[p]) {
        throw corrupt(indexFile, "offset of partition " + (p + 1) + " (" + offsets[p + 1]
            + ") is before that of partition " + p + " (" + offsets[p] + ")");
      }
    }
    long last = offsets[offsets.length - 1];
    if (last != dataFileLength) {
      throw corrupt(indexFile, "ends at offset " + last + " but the data file has "
          + dataFileLength + " bytes");
    }
    return new ShuffleIndex(offsets);
  }

  /** Writes {@code offsets} (already validated by the caller) as an index file. */
  static void write(long[] offsets, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    for (long offset : offsets) {
      data.writeLong(offset);
    }
    data.flush();
  }

  public int numPartitions() {
    return offsets.length - 1;
  }

  /** Where partition {@code p}'s segment starts in the data file. */
  public long offset(int partition) {
    checkPartition(partition);
    return offsets[partition];
  }

  /** Bytes of partition {@code p}'s segment; 0 for an empty partition. */
  public long length(int partition) {
    checkPartition(partition);
    return offsets[partition + 1] - offsets[partition];
  }

  /** Length of the data file this index describes. */
  public long dataLength() {
    return offsets[offsets.length - 1];
  }

  private void checkPartition(int partition) {
    if (partition < 0 || partition >= numPartitions()) {
      throw new IndexOutOfBoundsException(
          "partition " + partition + " of a map output with " + numPartitions() + " partitions");
    }
  }

  private static CorruptShuffleDataException corrupt(Path file, String problem) {
    return new CorruptShuffleDataException("corrupt shuffle index " + file + ": " + problem);
  }
}
