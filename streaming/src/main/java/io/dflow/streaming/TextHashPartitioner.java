package io.dflow.streaming;

import io.dflow.api.Partitioner;

/**
 * Hadoop's default {@code HashPartitioner} over a {@code Text} key, for {@code byte[]} keys: the
 * hash of {@code Text} ({@code 31 * h + b} over the signed bytes, from {@code h = 1}), masked
 * non-negative, modulo the number of partitions. Streaming jobs use it so that each key goes to
 * the same part file as it would under Hadoop.
 */
public record TextHashPartitioner(int numPartitions) implements Partitioner {
  public TextHashPartitioner {
    if (numPartitions < 1) {
      throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
    }
  }

  @Override
  public int partition(Object key) {
    byte[] bytes = (byte[]) key;
    int hash = 1;
    for (byte b : bytes) {
      hash = 31 * hash + b;
    }
    return (hash & Integer.MAX_VALUE) % numPartitions;
  }
}
