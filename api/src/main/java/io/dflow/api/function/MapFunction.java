package io.dflow.api.function;

import java.io.Serializable;

/** Turns one record into one record: the function behind {@code map}. Serialisable, so a lambda can be shipped to executors. */
@FunctionalInterface
public interface MapFunction<T, R> extends Serializable {
  R apply(T value) throws Exception;
}
