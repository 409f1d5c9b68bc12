package io.dflow.driver.scheduler;

import io.dflow.executor.protocol.ControlMessage.LaunchTask;
import io.dflow.executor.protocol.ControlMessage.TaskFinished;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One stage handed to the scheduler: a launch message per task (attempt 0), the hosts each task
 * prefers, and where the outcome goes. Its mutable progress lives in the scheduler.
 *
 * @param preferredHosts per task, the hosts holding its input (empty: no preference)
 * @param outcome completed with every task's successful attempt, in task order, or with a
 *     {@link io.dflow.driver.JobFailedException}
 */
public record StageRun(
    String name,
    List<LaunchTask> tasks,
    List<List<String>> preferredHosts,
    int maxAttempts,
    ProgressListener progress,
    CompletableFuture<List<Placed>> outcome) {

  /** A finished task and the executor that ran it (where its shuffle output lives). */
  public record Placed(TaskFinished finished, String executorId) {}

  /** Told as tasks of a stage finish. */
  public interface ProgressListener {
    void onProgress(int done, int total);
  }
}
