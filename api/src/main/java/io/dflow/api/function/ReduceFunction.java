package io.dflow.api.function;

import java.io.Serializable;

/** Merges two values of one key; must be associative and commutative, as it also runs map side. Serialisable, so a lambda can be shipped to executors. */
@FunctionalInterface
public interface ReduceFunction<V> extends Serializable {
  V apply(V left, V right) throws Exception;
}
