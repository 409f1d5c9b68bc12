package io.dflow.executor.protocol;

import io.dflow.planner.ShuffleId;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * How a task attempt ended. The scheduler acts on the case: a success registers outputs, a user
 * exception is retried up to {@code dflow.task.maxAttempts}, a fetch failure makes the parent
 * stage recompute the lost map output, a lost executor or a kill is retried elsewhere.
 */
public sealed interface TaskEndReason extends Serializable {
  /** One line for progress and error messages. */
  String describe();

  /**
   * @param result the serialised per-partition value of a result task (count, records, ...), else null
   * @param shuffles what a map task wrote, one entry per shuffle of its stage
   * @param blocks cached partitions this task stored or whose eviction it caused
   * @param counters what the task added to each counter
   */
  record Success(byte[] result, List<MapStatus> shuffles, List<BlockUpdate> blocks,
      Map<String, Long> counters) implements TaskEndReason {
    public Success {
      shuffles = List.copyOf(shuffles);
      blocks = List.copyOf(blocks);
      counters = Map.copyOf(counters);
    }

    @Override
    public String describe() {
      return "succeeded";
    }
  }

  /**
   * The task's code threw.
   *
   * @param where the task and its input, e.g. {@code split /in/a.txt:0+100}
   * @param stackTrace the exception and its stack trace (the user's own exception when it came from user code)
   */
  record ExceptionFailure(String className, String message, String where, String stackTrace)
      implements TaskEndReason {
    @Override
    public String describe() {
      return where + ": " + stackTrace;
    }
  }

  /**
   * A shuffle block could not be fetched (or was damaged): the map output that made it is lost.
   *
   * @param mapIndex the map task whose output is missing, or -1 when the task was given no
   *     locations for the shuffle at all
   * @param executor the executor that should have served it, or null
   */
  record FetchFailed(ShuffleId shuffle, int mapIndex, ExecutorId executor, String message)
      implements TaskEndReason {
    @Override
    public String describe() {
      return "fetch of shuffle " + shuffle + " map " + mapIndex + " from executor " + executor
          + " failed: " + message;
    }
  }

  /** The executor running the attempt went away. */
  record ExecutorLost(ExecutorId executor, String reason) implements TaskEndReason {
    @Override
    public String describe() {
      return "executor " + executor + " lost: " + reason;
    }
  }

  /** The driver stopped the attempt (its job failed or was cancelled). */
  record Killed(String reason) implements TaskEndReason {
    @Override
    public String describe() {
      return "killed: " + reason;
    }
  }
}
