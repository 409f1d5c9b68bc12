package io.dflow.executor.protocol;

import io.dflow.planner.ShuffleId;
import java.io.Serializable;

/** What a map task wrote for one shuffle: the bytes of each reduce partition's segment. */
public record MapStatus(ShuffleId shuffle, long[] partitionBytes) implements Serializable {
  public long totalBytes() {
    long n = 0;
    for (long b : partitionBytes) {
      n += b;
    }
    return n;
  }
}
