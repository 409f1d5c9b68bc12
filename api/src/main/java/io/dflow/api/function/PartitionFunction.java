package io.dflow.api.function;

import java.io.Serializable;
import java.util.Iterator;

/** Turns a whole partition's records into new records: the function behind {@code mapPartitions}. Serialisable, so a lambda can be shipped to executors. */
@FunctionalInterface
public interface PartitionFunction<T, R> extends Serializable {
  Iterator<R> apply(Iterator<T> records) throws Exception;
}
