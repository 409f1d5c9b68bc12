package io.dflow.driver;

import io.dflow.driver.scheduler.StageRun;
import io.dflow.executor.protocol.TaskMetrics;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a progress line per stage on stderr: redrawn in place on a terminal as tasks finish,
 * and a final line with the stage's counters when it ends (the only line in a file or CI log).
 */
final class ProgressReporter {
  private final PrintStream out;
  private final boolean terminal;

  ProgressReporter(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Redraws a stage's line as its tasks finish (on a terminal only), labelled like {@code job 0 stage 1 (...)}. */
  StageRun.ProgressListener forStage(String label, int total) {
    if (!terminal) {
      return (done, all) -> { };
    }
    long start = System.nanoTime();
    redraw(label, 0, total, start);
    return (done, all) -> redraw(label, done, all, start);
  }

  /** The stage's final line, with the counters its tasks reported. */
  synchronized void finished(String label, int tasks, double seconds, TaskMetrics metrics) {
    String line = String.format(Locale.ROOT, "%s: %d/%d tasks done in %.2f s (%d records out%s%s%s)",
        label, tasks, tasks, seconds, metrics.recordsOut(),
        bytes(", input ", metrics.inputBytes()), bytes(", shuffle read ", metrics.shuffleBytesRead()),
        bytes(", shuffle write ", metrics.shuffleBytesWritten()));
    out.print(terminal ? "\r" + line + "\n" : line + "\n");
    out.flush();
  }

  private synchronized void redraw(String label, int done, int total, long start) {
    double seconds = (System.nanoTime() - start) / 1e9;
    out.print(String.format(Locale.ROOT, "\r%s: %d/%d tasks running, %.1f s", label, done, total, seconds));
    out.flush();
  }

  private static String bytes(String what, long n) {
    if (n == 0) {
      return "";
    }
    if (n < 1024) {
      return what + n + " B";
    }
    return n < (1 << 20) ? String.format(Locale.ROOT, "%s%.1f KiB", what, n / 1024.0)
        : String.format(Locale.ROOT, "%s%.1f MiB", what, n / 1048576.0);
  }
}
