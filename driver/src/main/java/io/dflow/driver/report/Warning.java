package io.dflow.driver.report;

/**
 * Something the application did that cost it time, and what to change.
 *
 * @param kind one of {@link Advisor}'s kinds: {@code tasks-too-short}, {@code skew}...
 * @param stage the stage it is about, or null for the application (a lost executor)
 */
public record Warning(String kind, Integer stage, String message, String advice) {
  /** The warning as the line an application prints at its end: {@code warning: MESSAGE: ADVICE}. */
  public String line() {
    return "warning: " + message + ": " + advice;
  }
}
