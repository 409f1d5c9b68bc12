package io.dflow.driver;

import io.dflow.executor.protocol.TaskMetrics;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a job's progress on stderr, one stage at a time: on a terminal a progress bar of the
 * stage's finished tasks (the progressbar library, which reads the terminal's width through
 * JLine), and for every stage a final line with the counters its tasks reported — the only
 * line in a file or CI log.
 */
final class ProgressReporter {
  private static final int REDRAW_MILLIS = 500;
  private static final int MAX_STATUS = 40;
  /** Columns a bar keeps for its percentage, bar, task counts, time and a task's status. */
  private static final int COUNTS_AND_STATUS = 34 + MAX_STATUS;
  private static final int MIN_LABEL = 16;
  /** Back to the start of the line and erase it (ANSI), printed on a terminal only. */
  static final String ERASE_LINE = "\r\u001b[K";

  private final PrintStream out;
  private final boolean terminal;
  private final int width;

  /** A reporter to {@code out}; bars only if {@code terminal}, as wide as the terminal. */
  ProgressReporter(PrintStream out, boolean terminal) {
    this(out, terminal, 0);
  }

  /** With a fixed bar width in columns (0: the terminal's). */
  ProgressReporter(PrintStream out, boolean terminal, int width) {
    this.out = out;
    this.terminal = terminal;
    this.width = width;
  }

  /** The progress of one stage, labelled like {@code job 0 stage 1 (...)}; close it when the stage ends. */
  Stage forStage(String label, int total) {
    ProgressBar bar = null;
    if (terminal) {
      SameLineConsumer consumer = new SameLineConsumer(out, width);
      // The label gives way first, so the counts and a task's status stay on the line.
      int room = Math.max(MIN_LABEL, consumer.getMaxRenderedLength() - COUNTS_AND_STATUS);
      bar = new ProgressBarBuilder()
          .setTaskName(label.length() <= room ? label : label.substring(0, room - 1) + "…")
          .setInitialMax(total)
          .setUnit(" tasks", 1)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(REDRAW_MILLIS)
          .continuousUpdate() // the elapsed time ticks while a long task runs
          .setConsumer(consumer)
          .hideEta()
          .build();
    }
    return new Stage(label, bar);
  }

  /**
   * Prints a stage's final line, with what its tasks added to counters. On a terminal the line
   * is cleared first, so that the line replaces a bar another stage may be drawing there (it is
   * redrawn below at its next tick).
   */
  /** @param locality the shares of the stage's tasks by locality level, or "" */
  void printFinished(String label, int tasks, double seconds, TaskMetrics metrics, Map<String, Long> counters,
      String locality) {
    synchronized (out) {
      if (terminal) {
        out.print(ERASE_LINE);
      }
      String spills = metrics.spills() == 0 ? ""
          : ", " + metrics.spills() + (metrics.spills() == 1 ? " spill" : " spills") + bytes(" of ", metrics.spillBytes());
      String added = counters.isEmpty() ? "" : "; counters: " + counters.entrySet().stream()
          .map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining(", "));
      out.printf(Locale.ROOT, "%s: %d/%d tasks done in %.2f s (%s%d records out%s%s%s%s%s)%s%n",
          label, tasks, tasks, seconds, locality.isEmpty() ? "" : locality + "; ", metrics.recordsOut(),
          bytes(", input ", metrics.inputBytes()),
          shuffleBytes(", shuffle read ", metrics.shuffleBytesRead(), metrics.shuffleRawBytesRead()),
          shuffleBytes(", shuffle write ", metrics.shuffleBytesWritten(), metrics.shuffleRawBytesWritten()), spills,
          bytes(", peak task memory ", metrics.peakMemory()), added);
      out.flush();
    }
  }

  /** Shuffle bytes as stored, with what they would be uncompressed when compression changed them. */
  private static String shuffleBytes(String what, long stored, long raw) {
    return raw == stored || stored == 0 ? bytes(what, stored) : bytes(what, stored) + bytes(" (raw ", raw) + ")";
  }

  /** Prints one line of its own (a skipped stage, counters), clearing a bar on a terminal first. */
  void printLine(String line) {
    synchronized (out) {
      if (terminal) {
        out.print(ERASE_LINE);
      }
      out.println(line);
      out.flush();
    }
  }

  /** One stage's bar and final line. */
  final class Stage implements AutoCloseable {
    private final String label;
    private final ProgressBar bar;
    private boolean closed;

    private Stage(String label, ProgressBar bar) {
      this.label = label;
      this.bar = bar;
    }

    /** {@code done} of the stage's {@code total} tasks have finished. */
    public void onProgress(int done, int total) {
      if (bar != null) {
        bar.stepTo(done);
      }
    }

    /** Shows what a running task says it is doing beside the bar, shortened to fit. */
    public void onStatus(String status) {
      if (bar != null) {
        bar.setExtraMessage(" " + (status.length() > MAX_STATUS ? status.substring(0, MAX_STATUS - 1) + "…" : status));
      }
    }

    /** Clears the bar and prints the stage's final line with the counters its tasks reported. */
    void finished(int tasks, double seconds, TaskMetrics metrics) {
      close();
      printFinished(label, tasks, seconds, metrics, Map.of(), "");
    }

    /** Clears the bar (a stage that failed gets no final line: the job's error follows). */
    @Override
    public void close() {
      if (bar != null && !closed) {
        bar.close();
        // The library's own clearing is skipped when a stage ends before its first redraw.
        synchronized (out) {
          out.print(ERASE_LINE);
          out.flush();
        }
      }
      closed = true;
    }
  }

  /**
   * Draws the bar over itself with a carriage return, trimmed to the width, and on closing
   * leaves the cursor on the bar's line (the library's own consumer starts a new line), so
   * that the stage's final line replaces the bar.
   */
  private static final class SameLineConsumer extends ConsoleProgressBarConsumer {
    private final PrintStream stream;

    SameLineConsumer(PrintStream stream, int width) {
      super(stream, width);
      this.stream = stream;
    }

    @Override
    public void close() {
      stream.flush();
    }
  }

  static String bytes(String what, long n) {
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
