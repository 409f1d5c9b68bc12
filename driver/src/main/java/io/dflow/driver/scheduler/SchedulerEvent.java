package io.dflow.driver.scheduler;

import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.JobId;
import io.dflow.planner.PhysicalPlan;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Everything that changes scheduler state, handled in order on the scheduler's event loop. */
sealed interface SchedulerEvent {
  /**
   * Run result partitions {@code first .. first + count - 1} of {@code plan}'s result stage.
   *
   * @param stages each planned stage's bytes, by plan index
   * @param commitJob the job key of the output folder, for a job that writes files (else null)
   */
  record JobSubmitted(JobId job, PhysicalPlan plan, List<SerializedStage> stages, int first, int count,
      ResultHandler handler,
      String commitJob, String description, CompletableFuture<JobSummary> outcome) implements SchedulerEvent {}

  record ExecutorAdded(ExecutorHandle executor) implements SchedulerEvent {}

  record StatusReceived(ExecutorId from, List<TaskEnded> ended) implements SchedulerEvent {}

  /**
   * @param replacing whether the backend is starting an executor in its place (so none left is not yet the end)
   * @param causedByApp whether the loss may be the tasks' doing (a crash, too much memory), so that
   *     it counts against their attempts; not so for a container preempted or a node lost
   */
  record ExecutorLost(ExecutorId executor, String reason, boolean replacing, boolean causedByApp)
      implements SchedulerEvent {
    ExecutorLost(ExecutorId executor, String reason, boolean replacing) {
      this(executor, reason, replacing, true);
    }

    ExecutorLost(ExecutorId executor, String reason) {
      this(executor, reason, false);
    }
  }

  record DatasetUnpersisted(int node) implements SchedulerEvent {}

  record BroadcastDestroyed(long id) implements SchedulerEvent {}

  /** Reads scheduler state on its own thread. */
  record Query<T>(Function<DagScheduler, T> question, CompletableFuture<T> answer) implements SchedulerEvent {}

  record Stop(String reason) implements SchedulerEvent {}
}
