package io.dflow.api;

import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.TaskScope;
import java.io.Serializable;

/**
 * A sum that tasks add to and the driver reads, like Hadoop's counters and Spark's
 * accumulators: capture it in a function and call {@link #add}. Only the successful attempt of
 * each task counts, so a retried task is not counted twice. Made by {@link JobContext#counter};
 * the driver prints every counter at the end of each job.
 */
public final class LongCounter implements Serializable {
  private final String name;
  /** Set on the driver only. */
  private transient JobRunner owner;

  LongCounter(String name, JobRunner owner) {
    this.name = name;
    this.owner = owner;
  }

  public String name() {
    return name;
  }

  /** Adds {@code n}: to this task's share inside a task, to the total on the driver. */
  public void add(long n) {
    if (TaskScope.inTask()) {
      TaskScope.current().addToCounter(name, n);
    } else if (owner != null) {
      owner.addToCounter(name, n);
    } else {
      throw new IllegalStateException("counter " + name + " can be added to in tasks and on the driver only");
    }
  }

  /** The total so far; read on the driver, after the jobs that add to it. */
  public long value() {
    if (owner == null) {
      throw new IllegalStateException("counter " + name + " is read on the driver, not in tasks");
    }
    return owner.counterValue(name);
  }

  @Override
  public String toString() {
    return "LongCounter(" + name + ")";
  }
}
