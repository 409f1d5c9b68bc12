package io.dflow.driver.scheduler;

import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.JobId;
import io.dflow.executor.protocol.TaskAttempt;
import io.dflow.planner.ShuffleId;

/** What the scheduler tells its listeners (the progress display, the event log, the live report), in order. */
public sealed interface ListenerEvent {
  record JobStarted(JobId job, String description, int stages) implements ListenerEvent {}

  /** The stages of a job as planned (the last computes its result), each with those whose output it reads. */
  record JobStages(JobId job, java.util.List<StageNode> stages) implements ListenerEvent {}

  /** A stage of {@link JobStages}: its id, its progress label, and the ids of the stages it reads. */
  record StageNode(int stage, String label, java.util.List<Integer> parents) {}

  /** @param error null on success */
  record JobEnded(JobId job, int stagesRun, int tasksRun, String error) implements ListenerEvent {}

  record StageSubmitted(StageInfo stage) implements ListenerEvent {}

  /** A stage of the job that needs not run: its outputs exist from an earlier job. */
  record StageSkipped(StageInfo stage) implements ListenerEvent {}

  /**
   * @param failure null when every task succeeded; else why the attempt ended
   * @param nanos how long the attempt ran, on the scheduler's clock
   */
  record StageCompleted(StageInfo stage, String failure, long nanos) implements ListenerEvent {}

  /** @param level how near its data the attempt ran */
  record TaskEnd(StageInfo stage, TaskEnded ended, Locality level) implements ListenerEvent {}

  /** A running attempt says what it is doing. */
  record TaskStatusChanged(TaskAttempt attempt, String message) implements ListenerEvent {}

  /**
   * A shuffle a stage wrote has a reduce partition far larger than the median one: its reduce
   * task will run long. {@code partition} holds {@code bytes}; the median partition {@code median}.
   */
  record ShuffleSkewed(StageInfo stage, ShuffleId shuffle, int partition, long bytes, long median)
      implements ListenerEvent {}

  /** {@code executor} failed {@code failures} of a stage attempt's tasks: it is offered no more of them. */
  record ExecutorExcluded(StageInfo stage, ExecutorId executor, int failures) implements ListenerEvent {}

  record ExecutorAdded(ExecutorId executor, String host, int slots) implements ListenerEvent {}

  record ExecutorRemoved(ExecutorId executor, String reason) implements ListenerEvent {}
}
