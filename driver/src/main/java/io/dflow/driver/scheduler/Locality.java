package io.dflow.driver.scheduler;

/**
 * How near its data a task ran, best first: in the executor that holds it (a cached
 * partition), on its host (an HDFS replica), with no preference at all (shuffle reads,
 * collections), in its rack, anywhere.
 */
public enum Locality {
  PROCESS_LOCAL("process-local"),
  NODE_LOCAL("node-local"),
  NO_PREF("no preference"),
  RACK_LOCAL("rack-local"),
  ANY("any");

  private final String label;

  Locality(String label) {
    this.label = label;
  }

  /** As the stage lines say it: {@code node-local}. */
  public String label() {
    return label;
  }
}
