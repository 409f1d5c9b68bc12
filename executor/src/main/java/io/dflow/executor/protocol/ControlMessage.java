package io.dflow.executor.protocol;

import io.dflow.executor.serde.JavaSerde;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The messages between the driver and its executors. Shuffle data is never among them:
 * executors fetch map outputs from each other.
 */
public sealed interface ControlMessage extends Serializable {

  /** Reads a control message from its frame: dflow's own classes only, through the allow-list. */
  static ControlMessage decode(byte[] body) throws IOException {
    return JavaSerde.deserialize(body, ControlMessage.class.getClassLoader(), ControlMessage.class);
  }

  /** The bytes of this message's frame. */
  default byte[] encode() {
    return JavaSerde.serialize(this);
  }

  /**
   * Executor to driver, once connected: who it is and where it serves shuffle blocks.
   *
   * @param host the host name locality is judged by (where its HDFS data would be)
   * @param address the address other executors connect to for its shuffle blocks
   */
  record RegisterExecutor(String executorId, String host, String address, int shufflePort,
      int slots) implements ControlMessage {}

  /**
   * Driver to executor: run one task attempt.
   *
   * @param jarSha256 the job jar to run it with (fetched from the driver once per executor), or
   *     null when the job's classes are already on the executor's class path
   * @param task the {@code TaskSpec}, serialised on its own so it can be read with the job's
   *     class loader
   * @param mapOutputs for a reduce task, where each map output of its shuffle lives
   */
  record LaunchTask(TaskAttempt attempt, String jarSha256, Map<String, String> conf, byte[] task,
      List<MapOutputLocation> mapOutputs) implements ControlMessage {}

  /**
   * Executor to driver: an attempt ended.
   *
   * @param result the serialised result of a count or collect task, else null
   * @param error on failure, the exception and its stack trace as text
   */
  record TaskFinished(TaskAttempt attempt, String executorId, boolean succeeded, byte[] result,
      TaskMetrics metrics, String error) implements ControlMessage {}

  /** Driver to executor: finish and exit. */
  record StopExecutor() implements ControlMessage {}
}
