package io.dflow.driver.scheduler;

import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.StageAttemptId;
import java.util.List;

/**
 * Runs the ranks of MPI gangs, which the task scheduler has given slots all at once. It reports
 * every rank's end through the scheduler like an executor would, and all of a gang's ends
 * together: every rank's success, or a failure for every rank when any one fails.
 *
 * <p>Threading: called on the scheduler's event loop; must not block.
 */
public interface GangLauncher {
  /** Runs nothing: gangs fail at once, for schedulers (tests) with no MPI. */
  GangLauncher NONE = new GangLauncher() {
    @Override
    public void launch(Gang gang) {
      throw new IllegalStateException("this scheduler runs no MPI gangs");
    }

    @Override
    public void kill(StageAttemptId stage, String reason) {}
  };

  /**
   * A gang to run: rank {@code i} runs {@code tasks.get(i)} in a slot of {@code executors.get(i)}.
   */
  record Gang(RegisterStage stage, List<TaskLaunch> tasks, List<ExecutorHandle> executors) {
    public Gang {
      tasks = List.copyOf(tasks);
      executors = List.copyOf(executors);
    }
  }

  void launch(Gang gang);

  /** Stops the running gang of stage attempt {@code stage}, if there is one; its ranks end as killed. */
  void kill(StageAttemptId stage, String reason);
}
