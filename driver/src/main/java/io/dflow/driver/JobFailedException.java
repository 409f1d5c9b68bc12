package io.dflow.driver;

/** A job ran and failed: its message names the failed task, its stage and input, and the cause. */
public final class JobFailedException extends RuntimeException {
  public JobFailedException(String message) {
    super(message);
  }
}
