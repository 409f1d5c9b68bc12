package io.dflow.driver.scheduler;

import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.executor.protocol.ControlMessage.TaskFinished;

/** Everything that changes scheduler state, consumed in order by its one thread. */
sealed interface SchedulerEvent {
  record ExecutorAdded(ExecutorHandle executor) implements SchedulerEvent {}

  record SubmitStage(StageRun stage) implements SchedulerEvent {}

  record Finished(TaskFinished finished) implements SchedulerEvent {}

  record ExecutorLost(String executorId, String reason) implements SchedulerEvent {}

  record Stop() implements SchedulerEvent {}
}
