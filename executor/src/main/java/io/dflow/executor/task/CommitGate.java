package io.dflow.executor.task;

import java.io.IOException;

/**
 * Asks the driver whether a task attempt may commit its output: the first attempt of a partition
 * to ask holds the right until it fails, so of two attempts running at once (a straggler and its
 * speculative copy) exactly one commits.
 */
@FunctionalInterface
public interface CommitGate {
  /** Grants every request: for an executor no other attempt can race (an MPI rank). */
  CommitGate ALWAYS = (job, partition, taskId) -> true;

  /** Whether attempt {@code taskId} of {@code partition} of output job {@code job} may commit. */
  boolean mayCommit(String job, int partition, long taskId) throws IOException;
}
