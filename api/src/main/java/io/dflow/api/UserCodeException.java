package io.dflow.api;

/** Wraps an exception thrown by a user function so it can cross an iterator boundary. */
public final class UserCodeException extends RuntimeException {
  public UserCodeException(Throwable cause) {
    super(cause.toString(), cause);
  }
}
