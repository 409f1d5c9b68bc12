package io.dflow.executor.task;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Kills the tasks of an executor that make no progress: a task that reads no input record and
 * writes no output record for {@value #TIMEOUT_KEY} milliseconds (default ten minutes, as
 * Hadoop's {@code mapreduce.task.timeout}; 0 turns it off) is interrupted and its child
 * processes killed, and it fails saying how long it was silent (its attempt is then retried as
 * any failed one). A task that ignores interrupts and runs no child is not stopped by this: the
 * {@link TaskRunner} gives it up once it outlives its kill timeout.
 *
 * <p>Threading: tasks register from their slot threads; one daemon thread looks at them every
 * second.
 */
final class TaskWatchdog implements AutoCloseable {
  /** The job setting that bounds a task's silence, in milliseconds. */
  static final String TIMEOUT_KEY = "dflow.task.timeout";
  static final long DEFAULT_TIMEOUT_MILLIS = 600_000;
  private static final long CHECK_MILLIS = 250;

  /** A running task, with the progress seen last and when it changed. */
  private static final class Watched {
    final TaskContext task;
    final long timeoutNanos;
    long progress = -1;
    long changedAt;

    Watched(TaskContext task, long timeoutMillis) {
      this.task = task;
      this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }
  }

  private final Set<Watched> running = ConcurrentHashMap.newKeySet();
  private final java.util.function.Consumer<TaskContext> onKill;
  private volatile ScheduledExecutorService checker;

  /** @param onKill told of every task this watchdog kills, after the kill */
  TaskWatchdog(java.util.function.Consumer<TaskContext> onKill) {
    this.onKill = onKill;
  }

  /** Watches {@code task} until {@link #forget}; returns the handle to forget it by, or null when its job sets no timeout. */
  Object watch(TaskContext task) {
    long timeout = timeoutMillis(task.conf(TIMEOUT_KEY, String.valueOf(DEFAULT_TIMEOUT_MILLIS)));
    if (timeout == 0) {
      return null;
    }
    Watched w = new Watched(task, timeout);
    w.changedAt = System.nanoTime();
    running.add(w);
    startChecker();
    return w;
  }

  void forget(Object handle) {
    if (handle != null) {
      running.remove(handle);
    }
  }

  private void startChecker() {
    if (checker == null) {
      synchronized (this) {
        if (checker == null) {
          checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "task-watchdog");
            t.setDaemon(true);
            return t;
          });
          checker.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  private void check() {
    long now = System.nanoTime();
    for (Watched w : running) {
      long progress = w.task.progress();
      if (progress != w.progress) {
        w.progress = progress;
        w.changedAt = now;
      } else if (now - w.changedAt > w.timeoutNanos) {
        running.remove(w);
        w.task.kill(String.format(Locale.ROOT, "no input record read and no output written for %.1f s (%s=%d ms)",
            (now - w.changedAt) / 1e9, TIMEOUT_KEY, TimeUnit.NANOSECONDS.toMillis(w.timeoutNanos)), false);
        onKill.accept(w.task);
      }
    }
  }

  private static long timeoutMillis(String value) {
    try {
      long ms = Long.parseLong(value.trim());
      if (ms < 0) {
        throw new NumberFormatException();
      }
      return ms;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(TIMEOUT_KEY + " must be a whole number of milliseconds (0: none), got '"
          + value + "'");
    }
  }

  @Override
  public void close() {
    if (checker != null) {
      checker.shutdownNow();
    }
  }
}
