package io.dflow.streaming;

import io.dflow.api.Partitioner;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Partitions {@code byte[]} keys by some of their fields, as Hadoop's
 * {@code KeyFieldBasedPartitioner} does: the bytes each key description selects, in order, are
 * hashed together ({@code 31 * h + b} over the signed bytes, from {@code h = 0}), and the hash,
 * masked non-negative, is taken modulo the number of partitions. Keys whose selected fields are
 * equal therefore meet in one partition, whatever their other fields.
 */
public final class KeyFieldPartitioner implements Partitioner {
  private static final long serialVersionUID = 1L;

  private final KeyFieldSpec spec;
  private final byte[] separator;
  private final int numPartitions;

  public KeyFieldPartitioner(KeyFieldSpec spec, byte[] separator, int numPartitions) {
    if (numPartitions < 1) {
      throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
    }
    if (separator.length == 0) {
      throw new IllegalArgumentException("key field separator must not be empty");
    }
    this.spec = Objects.requireNonNull(spec, "spec");
    this.separator = separator.clone();
    this.numPartitions = numPartitions;
  }

  /** With {@code options} in the syntax of {@code mapreduce.partition.keypartitioner.options}. */
  public KeyFieldPartitioner(String options, byte[] separator, int numPartitions) {
    this(KeyFieldSpec.parse(options), separator, numPartitions);
  }

  @Override
  public int numPartitions() {
    return numPartitions;
  }

  @Override
  public int partition(Object key) {
    // Hadoop hashes Text.toString() re-encoded: the same bytes, unless the key is not valid
    // UTF-8, whose bad sequences then become U+FFFD. Doing the same keeps such keys in step.
    String text = new String((byte[]) key, StandardCharsets.UTF_8);
    if (spec.isDefault()) {
      // Without options Hadoop falls back to String.hashCode of the key's text.
      return (text.hashCode() & Integer.MAX_VALUE) % numPartitions;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] ranges = spec.ranges(bytes, separator);
    int hash = 0;
    for (int r = 0; r < ranges.length; r += 2) {
      for (int i = ranges[r]; i < ranges[r + 1]; i++) {
        hash = 31 * hash + bytes[i];
      }
    }
    return (hash & Integer.MAX_VALUE) % numPartitions;
  }

  public KeyFieldSpec spec() {
    return spec;
  }

  public byte[] separator() {
    return separator.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyFieldPartitioner other && numPartitions == other.numPartitions
        && spec.equals(other.spec) && Arrays.equals(separator, other.separator);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, Arrays.hashCode(separator), numPartitions);
  }

  @Override
  public String toString() {
    return "KeyFieldPartitioner[" + spec + ", " + numPartitions + " partitions]";
  }
}
