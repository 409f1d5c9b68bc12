package io.dflow.api.function;

import java.io.Serializable;

/**
 * A function of two arguments: merging a value into an aggregate ({@code aggregateByKey},
 * {@code combineByKey}) or a partition index and its records ({@code mapPartitionsWithIndex}).
 * Serialisable, so a lambda can be shipped to executors.
 */
@FunctionalInterface
public interface Function2<T1, T2, R> extends Serializable {
  R apply(T1 first, T2 second) throws Exception;
}
