package io.dflow.executor.protocol;

import java.io.Serializable;

/** Names one executor of an application: {@code driver} in local mode, {@code exec-0}, ... on a cluster. */
public record ExecutorId(String value) implements Serializable {
  public ExecutorId {
    if (value == null || value.isEmpty() || value.length() > 64) {
      throw new IllegalArgumentException("bad executor id: " + value);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
