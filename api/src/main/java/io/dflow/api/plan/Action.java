package io.dflow.api.plan;

/** What a job's last stage does with its records: the action that triggered the job. */
public sealed interface Action extends java.io.Serializable {

  /** Text files, one {@code part-NNNNN} per partition, committed all-or-nothing. */
  record SaveText(String path) implements Action {}

  /** Counts the records. */
  record Count() implements Action {}

  /** Brings the records to the driver, failing once they pass {@code maxBytes}. */
  record Collect(long maxBytes) implements Action {}

  /** Plan text for the action. */
  default String describe() {
    if (this instanceof SaveText s) {
      return "saveAsTextFile " + s.path();
    }
    if (this instanceof Collect c) {
      return "collect (limit " + c.maxBytes() + " bytes)";
    }
    return "count";
  }
}
