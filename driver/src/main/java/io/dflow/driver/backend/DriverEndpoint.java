package io.dflow.driver.backend;

import io.dflow.executor.net.BlockData;
import io.dflow.executor.net.ServedClass;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ExecutorId;
import java.io.IOException;

/**
 * What a cluster backend reports to the driver and asks of it: messages from executors,
 * executors that went away, and the blocks the driver serves (the job jar, broadcast values).
 * Implementations only enqueue or look up: callers may be network threads.
 */
public interface DriverEndpoint {
  /** A message from executor {@code from} (status updates, mostly). */
  void received(ExecutorId from, ControlMessage message);

  /** @param replacing whether the backend starts an executor in its place */
  void executorLost(ExecutorId executor, String reason, boolean replacing);

  /**
   * @param causedByApp false when the cluster manager took the executor away for reasons of its
   *     own (preemption, a lost node): its tasks run again without that counting against their attempts
   */
  default void executorLost(ExecutorId executor, String reason, boolean replacing, boolean causedByApp) {
    executorLost(executor, reason, replacing);
  }

  /** An executor that joined after the start: one that replaces a lost one. */
  void executorAdded(ExecutorHandle executor);

  /** One of the first executors that joined after the start (its container came late): it replaces none. */
  default void executorJoined(ExecutorHandle executor) {
    executorAdded(executor);
  }

  /**
   * How many tasks waiting to run would rather run on each host: where a backend that asks a
   * cluster manager for executors would like them. Waits for the scheduler's answer.
   */
  default java.util.Map<String, Integer> pendingTaskHosts() {
    return java.util.Map.of();
  }

  /**
   * No executor will come (again): the cluster manager ended the application under the driver
   * (its master's last attempt died), or the first executors did not start; the running jobs,
   * and any later one, end with {@code reason}.
   */
  default void applicationEnded(String reason) {}

  /** A block the driver serves: {@code jar/<sha256>} or {@code broadcast/<id>}. */
  BlockData driverBlock(String blockId) throws IOException;

  /**
   * A class the driver serves by name (a shell's snippet classes), or null when it serves no such
   * class. Never a class of the driver's own class path.
   */
  default ServedClass driverClass(String binaryName) {
    return null;
  }
}
