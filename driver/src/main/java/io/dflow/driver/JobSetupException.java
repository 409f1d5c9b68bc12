package io.dflow.driver;

/** A job could not start: bad jar, unknown class, missing input, existing output. The message is for the user. */
public final class JobSetupException extends Exception {
  public JobSetupException(String message) {
    super(message);
  }
}
