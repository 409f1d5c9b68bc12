package io.dflow.api.function;

import java.io.Serializable;

/** Keeps the records for which it returns true: the function behind {@code filter}. Serialisable, so a lambda can be shipped to executors. */
@FunctionalInterface
public interface FilterFunction<T> extends Serializable {
  boolean test(T value) throws Exception;
}
