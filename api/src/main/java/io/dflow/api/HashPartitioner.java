package io.dflow.api;

/**
 * The default partitioner: a key's {@link StableHash} modulo the number of partitions, so a key
 * goes to the same partition in every JVM.
 */
public record HashPartitioner(int numPartitions) implements Partitioner {
  public HashPartitioner {
    if (numPartitions < 1) {
      throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
    }
  }

  @Override
  public int partition(Object key) {
    return Math.floorMod(StableHash.of(key), numPartitions);
  }
}
