package io.dflow.executor.protocol;

import java.io.Serializable;

/** Names one stage of an application; a stage keeps its id across the jobs that reuse it. */
public record StageId(int value) implements Serializable {
  @Override
  public String toString() {
    return String.valueOf(value);
  }
}
