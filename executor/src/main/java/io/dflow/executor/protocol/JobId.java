package io.dflow.executor.protocol;

import java.io.Serializable;

/** Names one job of an application: the work of one action. */
public record JobId(int value) implements Serializable {
  @Override
  public String toString() {
    return String.valueOf(value);
  }
}
