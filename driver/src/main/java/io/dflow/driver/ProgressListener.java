package io.dflow.driver;

import io.dflow.api.pipe.PipedProcess;
import io.dflow.driver.scheduler.Counters;
import io.dflow.driver.scheduler.ExcludeOnFailure;
import io.dflow.driver.scheduler.ListenerEvent;
import io.dflow.driver.scheduler.Locality;
import io.dflow.driver.scheduler.SchedulerListener;
import io.dflow.driver.scheduler.StageInfo;
import io.dflow.executor.protocol.StageAttemptId;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.executor.protocol.TaskMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The progress display as a scheduler listener: one bar at a time on a terminal (the oldest
 * running stage's; stages that run beside it show only their final line), a final counters line
 * per stage, and after each job one line naming the stages it skipped and one with the counters
 * that changed.
 *
 * <p>Threading: runs on the listener bus's thread.
 */
final class ProgressListener implements SchedulerListener {
  private final ProgressReporter out;
  private final Counters counters;
  private final Map<StageAttemptId, Running> running = new LinkedHashMap<>();
  private Map<String, Long> printedCounters = Map.of();
  private boolean warnedMalformed;
  /** The stages the current job skipped. */
  private final List<Integer> skipped = new ArrayList<>();

  /** A stage attempt on display. */
  static final class Running {
    final io.dflow.executor.protocol.JobId job;
    final String label;
    final int tasks;
    int done;
    TaskMetrics metrics = TaskMetrics.NONE;
    final Map<String, Long> counters = new TreeMap<>();
    /** Successful tasks by how near their data they ran. */
    final java.util.EnumMap<Locality, Integer> levels = new java.util.EnumMap<>(Locality.class);
    ProgressReporter.Stage bar;

    Running(io.dflow.executor.protocol.JobId job, String label, int tasks) {
      this.job = job;
      this.label = label;
      this.tasks = tasks;
    }
  }

  ProgressListener(ProgressReporter out, Counters counters) {
    this.out = out;
    this.counters = counters;
  }

  @Override
  public void onEvent(ListenerEvent event) {
    if (event instanceof ListenerEvent.StageSubmitted s) {
      running.put(s.stage().attempt(), new Running(s.stage().job(), label(s.stage()), s.stage().tasks()));
      showNextBar();
    } else if (event instanceof ListenerEvent.TaskEnd t) {
      Running r = running.get(t.stage().attempt());
      if (r != null && t.ended().reason() instanceof TaskEndReason.Success ok) {
        r.done++;
        r.levels.merge(t.level(), 1, Integer::sum);
        r.metrics = r.metrics.plus(t.ended().metrics());
        ok.counters().forEach((name, n) -> r.counters.merge(name, n, Long::sum));
        if (r.bar != null) {
          r.bar.onProgress(r.done, r.tasks);
        }
      }
    } else if (event instanceof ListenerEvent.TaskStatusChanged s) {
      Running r = running.get(s.attempt().stage());
      if (r != null && r.bar != null) {
        r.bar.onStatus("task " + s.attempt().partition() + ": " + s.message());
      }
    } else if (event instanceof ListenerEvent.StageCompleted c) {
      Running r = running.remove(c.stage().attempt());
      if (r != null) {
        if (r.bar != null) {
          r.bar.close();
        }
        if (c.failure() == null) {
          out.printFinished(r.label, r.done, c.nanos() / 1e9, r.metrics, r.counters, locality(r.levels));
        }
        showNextBar();
      }
    } else if (event instanceof ListenerEvent.ExecutorRemoved r) {
      String reason = r.reason();
      int log = reason.indexOf("; the end of its log");
      out.printLine("warning: executor " + r.executor().value() + " lost: "
          + (log < 0 ? reason : reason.substring(0, log)) + "; its work is recomputed where it is needed");
    } else if (event instanceof ListenerEvent.ExecutorExcluded x) {
      out.printLine("warning: executor " + x.executor().value() + " failed " + x.failures() + " tasks of "
          + label(x.stage()) + " and gets no more of them (" + ExcludeOnFailure.MAX_FAILED_TASKS + ")");
    } else if (event instanceof ListenerEvent.StageSkipped s) {
      skipped.add(s.stage().attempt().stage().value());
    } else if (event instanceof ListenerEvent.JobStarted) {
      skipped.clear();
    } else if (event instanceof ListenerEvent.JobEnded e && e.error() != null) {
      // a failed or cancelled job's running stages end with it (their tasks are killed): so do their bars
      running.values().removeIf(r -> {
        if (r.job.equals(e.job()) && r.bar != null) {
          r.bar.close();
        }
        return r.job.equals(e.job());
      });
      showNextBar();
    } else if (event instanceof ListenerEvent.JobEnded e && e.error() == null) {
      if (!skipped.isEmpty()) {
        out.printLine("job " + e.job() + " skipped " + (skipped.size() == 1 ? "stage " : "stages ")
            + skipped.stream().map(String::valueOf).collect(Collectors.joining(", "))
            + ": their outputs exist from earlier jobs");
      }
      Map<String, Long> now = counters.snapshot();
      Long malformed = now.get(PipedProcess.MALFORMED_REPORTER_LINES);
      if (malformed != null && !warnedMalformed) {
        warnedMalformed = true;
        out.printLine("warning: " + malformed + " lines that child processes wrote to stderr start with "
            + "'reporter:' but are neither reporter:counter:GROUP,COUNTER,AMOUNT nor reporter:status:MESSAGE;"
            + " they are kept with the rest of each child's stderr, in the executors' logs/ folders");
      }
      if (!now.equals(printedCounters)) {
        printedCounters = now;
        out.printLine("job " + e.job() + " counters: " + now.entrySet().stream()
            .map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining(", ")));
      }
    }
  }

  /** Gives the oldest running stage the bar, if no stage has it. */
  private void showNextBar() {
    if (running.values().stream().anyMatch(r -> r.bar != null) || running.isEmpty()) {
      return;
    }
    Running first = running.values().iterator().next();
    first.bar = out.forStage(first.label, first.tasks);
    first.bar.onProgress(first.done, first.tasks);
  }

  /**
   * {@code node-local 97%, rack-local 3%}: the shares of a stage's tasks by locality level, or
   * "" when none of its tasks had a preference (reduce tasks, collections).
   */
  static String locality(java.util.EnumMap<Locality, Integer> levels) {
    int total = levels.values().stream().mapToInt(Integer::intValue).sum();
    if (total == 0 || levels.getOrDefault(Locality.NO_PREF, 0) == total) {
      return "";
    }
    return levels.entrySet().stream().filter(e -> e.getKey() != Locality.NO_PREF)
        .map(e -> e.getKey().label() + " " + Math.round(100.0 * e.getValue() / total) + "%")
        .collect(Collectors.joining(", "));
  }

  private static String label(StageInfo stage) {
    return (stage.job() == null ? "" : "job " + stage.job() + " ") + stage.label();
  }
}
