package io.dflow.driver.scheduler;

import io.dflow.executor.protocol.JobId;
import java.util.concurrent.CompletableFuture;

/**
 * One job being run: the result stage's partitions it needs (a contiguous range), which of them
 * have finished, and where its outcome goes. Threading: the scheduler's event loop only.
 */
final class ActiveJob {
  final JobId id;
  final int firstPartition;
  final int partitionCount;
  final ResultHandler handler;
  final String commitJob;
  final CompletableFuture<JobSummary> outcome;
  final String description;
  ScheduledStage finalStage;
  private final boolean[] finished;
  private int finishedCount;
  int stagesRun;
  int tasksRun;

  ActiveJob(JobId id, int firstPartition, int partitionCount, ResultHandler handler, String commitJob,
      CompletableFuture<JobSummary> outcome, String description) {
    this.id = id;
    this.firstPartition = firstPartition;
    this.partitionCount = partitionCount;
    this.handler = handler;
    this.commitJob = commitJob;
    this.outcome = outcome;
    this.description = description;
    this.finished = new boolean[partitionCount];
  }

  /** The position of result partition {@code partition} in this job's range, or -1. */
  int indexOf(int partition) {
    int i = partition - firstPartition;
    return i >= 0 && i < partitionCount ? i : -1;
  }

  boolean isFinished(int index) {
    return finished[index];
  }

  void finish(int index) {
    if (!finished[index]) {
      finished[index] = true;
      finishedCount++;
    }
  }

  boolean allFinished() {
    return finishedCount == finished.length;
  }
}
