package io.dflow.driver;

import io.dflow.driver.scheduler.StageRun;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a progress line per stage on stderr: redrawn in place on a terminal, or once when the
 * stage ends when output goes to a file or a CI log.
 */
final class ProgressReporter {
  private final PrintStream out;
  private final boolean terminal;

  ProgressReporter(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** A listener for one stage, labelled like {@code stage 0 (textFile -> flatMap)}. */
  StageRun.ProgressListener forStage(String label, int total) {
    long start = System.nanoTime();
    if (terminal) {
      draw(label, 0, total, start, false);
    }
    return (done, all) -> {
      boolean last = done == all;
      if (terminal || last) {
        draw(label, done, all, start, last);
      }
    };
  }

  private synchronized void draw(String label, int done, int total, long start, boolean last) {
    double seconds = (System.nanoTime() - start) / 1e9;
    String line = String.format(Locale.ROOT, "%s: %d/%d tasks %s %.2f s", label, done, total,
        last ? "done in" : "running,", seconds);
    if (terminal) {
      out.print("\r" + line + (last ? "\n" : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }
}
