package io.dflow.arrow;

import java.nio.file.Path;

/**
 * A sorted run spilled to a local file by {@link RunWriter}: its partitions one after another,
 * each starting on a block of its own.
 *
 * @param offsets {@code numPartitions + 1} byte offsets: partition {@code p} is
 *     {@code [offsets[p], offsets[p + 1])}
 * @param records the records of each partition
 * @param rawBytes the rows' bytes before compression
 */
public record Run(Path file, long[] offsets, long[] records, long rawBytes) {
  public int numPartitions() {
    return records.length;
  }

  /** The file's length. */
  public long bytes() {
    return offsets[offsets.length - 1];
  }
}
