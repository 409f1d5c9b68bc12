package io.dflow.api.pipe;

/**
 * A child process of a task failed: it could not start, exited with a non-zero code, or exited
 * before it read its input. The message says all a person needs (the command, the exit code,
 * the input and the end of the child's stderr), so the exception carries no stack trace of its
 * own: the Java frames that noticed the failure would tell nothing.
 */
public final class PipeFailedException extends RuntimeException {
  public PipeFailedException(String message) {
    super(message, null, false, false);
  }

  public PipeFailedException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
