package io.dflow.api;

import java.io.Serializable;

/** Decides which reduce partition a key goes to. Must give the same answer on every executor. */
public interface Partitioner extends Serializable {
  int numPartitions();

  /** A partition in {@code [0, numPartitions())} for {@code key}. */
  int partition(Object key);
}
