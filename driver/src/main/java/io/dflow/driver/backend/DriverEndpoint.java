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

  /** An executor that joined after the start: one that replaces a lost one. */
  void executorAdded(ExecutorHandle executor);

  /**
   * How many tasks waiting to run would rather run on each host: where a backend that asks a
   * cluster manager for executors would like them. Waits for the scheduler's answer.
   */
  default java.util.Map<String, Integer> pendingTaskHosts() {
    return java.util.Map.of();
  }

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
