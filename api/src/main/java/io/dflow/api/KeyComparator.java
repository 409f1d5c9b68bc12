package io.dflow.api;

import java.io.Serializable;
import java.util.Comparator;

/**
 * A serialisable order of keys, for the shuffles that sort by key
 * ({@link PairDataset#repartitionAndSortWithinPartitions(Partitioner, KeyComparator)}): it
 * travels with the plan to every executor. {@link KeyOrder} is the natural order; any other
 * order (a field of a composite key, a numeric order of text) implements this.
 */
@FunctionalInterface
public interface KeyComparator<K> extends Comparator<K>, Serializable {}
