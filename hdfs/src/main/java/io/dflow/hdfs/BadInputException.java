package io.dflow.hdfs;

import java.io.IOException;

/**
 * The bytes of an input are not what its format says (a damaged or truncated file, a line over
 * the limit, a bad CSV row, a column of another type): the fault is in the data, and the
 * message names the file and where in it. A task that fails with one is reported by this
 * message alone, without a stack trace.
 */
public class BadInputException extends IOException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
