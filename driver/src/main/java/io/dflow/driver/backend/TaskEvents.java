package io.dflow.driver.backend;

import io.dflow.executor.protocol.ControlMessage.TaskFinished;

/** What a backend reports to the scheduler. Implementations only enqueue: callers may be network threads. */
public interface TaskEvents {
  void taskFinished(TaskFinished finished);

  void executorLost(String executorId, String reason);
}
