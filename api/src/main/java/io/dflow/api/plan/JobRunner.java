package io.dflow.api.plan;

/** Runs an action over a logical plan: what the driver provides to a {@code JobContext}. */
public interface JobRunner {
  /** Runs {@code action} on {@code node}; returns the count, the collected list, or null. */
  Object run(LogicalNode node, Action action);

  /** The physical plan {@link #run} would execute, as text. */
  String explain(LogicalNode node, Action action);
}
