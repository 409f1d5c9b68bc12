package io.dflow.executor.protocol;

import java.io.Serializable;

/** One submission of a stage's missing tasks: a stage is submitted again when map outputs it made are lost. */
public record StageAttemptId(StageId stage, int attempt) implements Serializable {
  @Override
  public String toString() {
    return stage + "." + attempt;
  }
}
