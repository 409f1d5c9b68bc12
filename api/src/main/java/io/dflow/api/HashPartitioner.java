package io.dflow.api;

import java.util.Arrays;

/** The default partitioner: a key's hash code modulo the number of partitions. */
public record HashPartitioner(int numPartitions) implements Partitioner {
  public HashPartitioner {
    if (numPartitions < 1) {
      throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
    }
  }

  @Override
  public int partition(Object key) {
    if (key == null) {
      return 0;
    }
    if (key instanceof byte[] bytes) {
      return Math.floorMod(Arrays.hashCode(bytes), numPartitions);
    }
    return Math.floorMod(key.hashCode(), numPartitions);
  }
}
