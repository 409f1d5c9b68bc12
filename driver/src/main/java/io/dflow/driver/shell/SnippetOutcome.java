package io.dflow.driver.shell;

import java.util.List;

/**
 * What evaluating one piece of source did: the lines to show (values, declarations) and, when it
 * failed, one message saying why (a compile error with its place, an exception, a failed job).
 */
record SnippetOutcome(List<String> shown, String error) {
  boolean failed() {
    return error != null;
  }
}
