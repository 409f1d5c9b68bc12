package io.dflow.arrow;

import java.util.Arrays;

/** What one map task wrote: the byte length and record count of each partition's segment. */
public final class ShuffleWriteResult {
  private final long[] lengths;
  private final long[] records;
  private final long rawBytes;

  ShuffleWriteResult(long[] lengths, long[] records, long[] rawLengths) {
    if (lengths.length != records.length || lengths.length != rawLengths.length) {
      throw new IllegalArgumentException("lengths and record counts differ in size");
    }
    this.lengths = lengths.clone();
    this.records = records.clone();
    this.rawBytes = Arrays.stream(rawLengths).sum();
  }

  public int numPartitions() {
    return lengths.length;
  }

  /** Bytes of partition {@code p}'s segment; 0 for an empty partition. */
  public long length(int partition) {
    return lengths[partition];
  }

  /** Records in partition {@code p}. */
  public long recordCount(int partition) {
    return records[partition];
  }

  /** A copy of every partition's segment length, in partition order. */
  public long[] lengths() {
    return lengths.clone();
  }

  /** Size of the data file. */
  public long totalBytes() {
    return Arrays.stream(lengths).sum();
  }

  /** What the data file would take with its batches uncompressed (its size, when they are not). */
  public long totalRawBytes() {
    return rawBytes;
  }

  public long totalRecords() {
    return Arrays.stream(records).sum();
  }

  @Override
  public String toString() {
    return "ShuffleWriteResult[partitions=" + lengths.length + ", bytes=" + totalBytes()
        + ", records=" + totalRecords() + "]";
  }
}
