package io.dflow.executor.protocol;

import io.dflow.planner.ShuffleId;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The messages between the driver and its executors. Shuffle data is never among them:
 * executors fetch map outputs from each other. Tasks travel in batches, and what the tasks of a
 * stage share (its operators, configuration, the map outputs it reads) is sent to an executor
 * once per stage attempt, not once per task.
 */
public sealed interface ControlMessage extends Serializable {

  /**
   * Reads a control message from its frame ({@link ControlCodec}): dflow's own classes only,
   * every length checked.
   */
  static ControlMessage decode(byte[] body) throws IOException {
    return ControlCodec.decode(body);
  }

  /** The bytes of this message's frame. */
  default byte[] encode() {
    return ControlCodec.encode(this);
  }

  /**
   * Executor to driver, once connected: who it is and where it serves blocks.
   *
   * @param host the host name locality is judged by (where its HDFS data would be)
   * @param address the address other executors connect to for its blocks
   */
  record RegisterExecutor(ExecutorId executor, String host, String address, int port, int slots)
      implements ControlMessage {}

  /**
   * Driver to executor, before the first task of a stage attempt that it runs.
   *
   * @param jarSha256 the job jar (fetched from the driver once per executor), or null when the
   *     job's classes are on the executor's class path
   * @param sinks the stage's sinks (operators and outputs), serialised on their own so they can be
   *     read with the job's class loader
   * @param inputs when they are small, every partition's source input at once (a serialised
   *     {@code List<List<Stage.SourcePartition>>} by partition), so first attempts are sent none
   *     of their own; else null
   * @param shuffleInputs where each map output of each shuffle the stage reads lives
   * @param commitJob for a stage that writes files, the job key naming its {@code _temporary} folder
   */
  record RegisterStage(StageAttemptId stage, String jarSha256, Map<String, String> conf, byte[] sinks,
      byte[] inputs, Map<ShuffleId, List<MapOutputLocation>> shuffleInputs, String commitJob)
      implements ControlMessage {}

  /** Driver to executor: run these attempts (of stages registered before). */
  record LaunchTasks(List<TaskLaunch> tasks) implements ControlMessage {}

  /**
   * One attempt to run.
   *
   * @param inputs the serialised source partitions it reads ({@code List<Stage.SourcePartition>}),
   *     or null when it reads none or its stage's registration carries them
   * @param cached executors holding the cached partitions it may read
   */
  record TaskLaunch(TaskAttempt attempt, byte[] inputs, List<CachedBlockLocation> cached)
      implements Serializable {}

  /**
   * Executor to driver: attempts that ended since the last update, and the latest status
   * message of running attempts whose status changed ({@code reporter:status:} of a child).
   */
  record StatusUpdate(List<TaskEnded> ended, List<TaskStatus> running) implements ControlMessage {
    public StatusUpdate(List<TaskEnded> ended) {
      this(ended, List.of());
    }
  }

  /** What a running attempt says it is doing, for the progress display. */
  record TaskStatus(TaskAttempt attempt, String message) implements Serializable {}

  /** One attempt's end, with what it did. */
  record TaskEnded(TaskAttempt attempt, ExecutorId executor, TaskEndReason reason, TaskMetrics metrics)
      implements Serializable {}

  /**
   * Driver to executor: stop these running attempts (their job failed); each ends as
   * {@link TaskEndReason.Killed} with {@code reason}, its output discarded.
   */
  record KillTasks(List<TaskAttempt> attempts, String reason) implements ControlMessage {
    public KillTasks {
      attempts = List.copyOf(attempts);
    }
  }

  /** Driver to executor: a stage attempt will send no more tasks; drop what was registered for it. */
  record ForgetStage(StageAttemptId stage) implements ControlMessage {}

  /** Driver to executor: drop every cached partition of dataset {@code node}. */
  record DropCachedDataset(int node) implements ControlMessage {}

  /** Driver to executor: drop broadcast {@code id}. */
  record DropBroadcast(long id) implements ControlMessage {}

  /**
   * An MPI rank to the driver, once connected: which rank of which gang attempt it is.
   *
   * @param gang the gang attempt's id, from the rank's command line
   */
  record RankHello(String gang, int rank, long pid, String host) implements ControlMessage {}

  /**
   * Driver to an MPI rank: the task it runs, as the executor whose slot it holds would run it.
   *
   * @param executor the executor whose slot the rank holds: the map outputs it writes are served
   *     by that executor, from its scratch folder {@code executorDir} on the rank's host
   */
  record RankTask(RegisterStage stage, TaskLaunch task, ExecutorId executor, String executorDir)
      implements ControlMessage {}

  /**
   * Driver to executor: start the Open MPI daemon ({@code orted}) of MPI gang {@code gang} on
   * this host, as {@code mpirun}'s launch agent asked for it ({@code command}: the words the
   * agent was given after the host name, shell-quoted as for a remote shell). The executor
   * checks it is an {@code orted} command line of an {@code mpirun} on the driver's host
   * ({@code io.dflow.executor.mpi.OrtedCommand}) and answers with {@link DaemonOutput}s and one
   * {@link DaemonExited}.
   *
   * @param launch the driver's number for this launch, which the answers carry
   */
  record LaunchDaemon(String gang, long launch, List<String> command) implements ControlMessage {
    public LaunchDaemon {
      command = List.copyOf(command);
    }
  }

  /** Executor to driver: bytes the daemon of {@code launch} wrote on its stdout or stderr. */
  record DaemonOutput(long launch, boolean stderr, byte[] bytes) implements ControlMessage {}

  /**
   * Executor to driver: the daemon of {@code launch} exited with {@code code}, or was never
   * started ({@code refusal} says why; null when it ran).
   */
  record DaemonExited(long launch, int code, String refusal) implements ControlMessage {}

  /** Driver to executor: stop the daemon of {@code launch} and every process under it. */
  record StopDaemon(long launch) implements ControlMessage {}

  /** Driver to executor: finish and exit. */
  record StopExecutor() implements ControlMessage {}
}
