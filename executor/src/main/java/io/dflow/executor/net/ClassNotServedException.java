package io.dflow.executor.net;

import java.io.IOException;

/** The server answered a class fetch: it does not serve that class (a loader then tries no further). */
public final class ClassNotServedException extends IOException {
  public ClassNotServedException(String message) {
    super(message);
  }
}
