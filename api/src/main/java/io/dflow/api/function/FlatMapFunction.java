package io.dflow.api.function;

import java.io.Serializable;
import java.util.Iterator;

/** Turns one record into zero or more records: the function behind {@code flatMap}. Serialisable, so a lambda can be shipped to executors. */
@FunctionalInterface
public interface FlatMapFunction<T, R> extends Serializable {
  Iterator<R> apply(T value) throws Exception;
}
