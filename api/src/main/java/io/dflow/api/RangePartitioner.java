package io.dflow.api;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Sends keys to partitions by sorted ranges, so that partition {@code i}'s keys all sort before
 * partition {@code i+1}'s: what a total-order {@code sortByKey} needs. Partition {@code i} holds
 * the keys {@code k} with {@code bounds[i-1] < k <= bounds[i]} (ascending order).
 */
public final class RangePartitioner implements Partitioner {
  private final List<Object> bounds;
  private final Comparator<Object> order;

  public RangePartitioner(List<?> bounds, Comparator<Object> order) {
    this.bounds = List.copyOf(bounds);
    this.order = order;
  }

  @Override
  public int numPartitions() {
    return bounds.size() + 1;
  }

  @Override
  public int partition(Object key) {
    int at = Collections.binarySearch(bounds, key, order);
    return at >= 0 ? at : -at - 1;
  }

  public List<Object> bounds() {
    return bounds;
  }

  /** Equal bounds in the same order partition alike: what makes two sorted datasets co-partitioned. */
  @Override
  public boolean equals(Object o) {
    return o instanceof RangePartitioner other && bounds.equals(other.bounds) && order.equals(other.order);
  }

  @Override
  public int hashCode() {
    return 31 * bounds.hashCode() + order.hashCode();
  }
}
