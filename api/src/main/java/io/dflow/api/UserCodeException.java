package io.dflow.api;

/** Wraps an exception thrown by a user function so it can cross an iterator boundary. */
public final class UserCodeException extends RuntimeException {
  public UserCodeException(Throwable cause) {
    super(cause.toString(), cause);
  }

  /**
   * What a call into user code threw, as an unchecked exception: itself if it is one, else
   * wrapped. Use as {@code catch (Exception e) { throw UserCodeException.of(e); }}.
   */
  public static RuntimeException of(Exception e) {
    return e instanceof RuntimeException r ? r : new UserCodeException(e);
  }
}
