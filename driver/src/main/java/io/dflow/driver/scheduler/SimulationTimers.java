package io.dflow.driver.scheduler;

import io.dflow.executor.protocol.ExecutorId;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The ways a {@link Simulation} counts locality waits, as {@link TaskScheduler.LocalityTimer}s
 * the real scheduler is run with: dflow's own, and three others to compare it with, which the
 * scheduler does not use (Spark's timer restarted by every launch, a per-slot wait that starts
 * from the best level every time a slot is freed, and dflow's wait without skipping the part
 * that cannot pay off).
 */
final class SimulationTimers {
  private SimulationTimers() {}

  /** A fresh timer for one run of {@code policy}. */
  static TaskScheduler.LocalityTimer of(SimulationConfig.Policy policy) {
    return switch (policy) {
      case PER_SLOT -> TaskScheduler.LocalityTimer.PER_SLOT;
      case SPARK_RESET -> new SparkReset();
      case RESTART -> TaskScheduler.LocalityTimer.RESTARTING;
      case WAIT_THROUGH -> TaskScheduler.LocalityTimer.WAIT_THROUGH;
    };
  }

  /**
   * Spark's locality wait before 3.1, computed the old way for the real scheduler: one timer per
   * task set, restarted by every launch but that of a task with no preference, at the level of
   * that launch; how long a slot itself has been free plays no part.
   */
  private static final class SparkReset implements TaskScheduler.LocalityTimer {
    /** Per task set: the wait already behind it when the timer last restarted, and when that was. */
    private final Map<TaskSetManager, long[]> timers = new IdentityHashMap<>();

    @Override
    public long waitedNanos(TaskSetManager set, ExecutorId executor, long freeSinceNanos, long now) {
      long[] t = timer(set);
      return t[0] + now - t[1];
    }

    @Override
    public void launched(TaskSetManager set, ExecutorId executor, Locality level, long now) {
      if (level == Locality.NO_PREF) {
        return;
      }
      long[] t = timer(set);
      // back to the launch's level; never further on than the timer already was
      t[0] = Math.min(set.waitBefore(level), t[0] + now - t[1]);
      t[1] = now;
    }

    private long[] timer(TaskSetManager set) {
      return timers.computeIfAbsent(set, s -> new long[] {0, s.submittedNanos});
    }
  }
}
