package io.dflow.api.plan;

import io.dflow.api.StorageLevel;

/**
 * What the driver provides to a {@code JobContext}: runs actions over the logical plan, and
 * keeps the application-wide state that datasets, broadcasts and counters refer to.
 */
public interface JobRunner {
  /** Runs {@code action} on {@code node}; returns the action's value (a count, a list, ...) or null. */
  Object run(LogicalNode node, Action action);

  /** The physical plan {@link #run} would execute, as text. */
  String explain(LogicalNode node, Action action);

  /** Keeps {@code node}'s partitions at {@code level} once computed, for later jobs. */
  void persist(LogicalNode node, StorageLevel level);

  /** Forgets {@code node}'s kept partitions, on every executor. */
  void unpersist(LogicalNode node);

  /** Serialises {@code value} once, for executors to fetch once each; returns its id. */
  long broadcast(Object value);

  /** Drops a broadcast value from the driver and every executor. */
  void destroyBroadcast(long id);

  /** Adds to a counter from driver code. */
  void addToCounter(String name, long delta);

  /** A counter's total: what the driver added plus every successful task's additions. */
  long counterValue(String name);
}
