package io.dflow.api.function;

import java.io.Serializable;

/** Consumes one record for its side effects: the function behind {@code foreach}. Serialisable, so a lambda can be shipped to executors. */
@FunctionalInterface
public interface VoidFunction<T> extends Serializable {
  void call(T value) throws Exception;
}
