package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.executor.protocol.TaskMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a stage's progress looks like: a bar redrawn in place on a terminal, cleared when the
 * stage ends and followed by one final line; only that line anywhere else.
 */
class ProgressReporterTest {
  private static final String LABEL = "job 0 stage 1 (textFile in)";
  private static final String FINAL = LABEL + ": 4/4 tasks done in 1.25 s (10 records out, input 2.0 KiB)\n";
  private static final TaskMetrics METRICS = new TaskMetrics(10, 2048, 0, 0, 5);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void onATerminalTheBarIsRedrawnThenClearedBeforeTheFinalLine() {
    try (ProgressReporter.Stage stage = new ProgressReporter(out, true, 120).forStage(LABEL, 4)) {
      stage.onProgress(1, 4);
      stage.onProgress(4, 4);
      stage.finished(4, 1.25, METRICS);
    }
    String shown = text();
    assertTrue(shown.startsWith("\r" + LABEL), shown);
    assertTrue(shown.contains("4/4 tasks"), shown);
    assertTrue(shown.endsWith(ProgressReporter.ERASE_LINE + FINAL), shown);
    assertEquals(shown.indexOf(FINAL), shown.lastIndexOf(FINAL), "one final line: " + shown);
  }

  @Test
  void aTaskStatusShowsBesideTheBarShortenedToFit() throws InterruptedException {
    try (ProgressReporter.Stage stage = new ProgressReporter(out, true, 200).forStage(LABEL, 4)) {
      stage.onStatus("task 2: mapper: " + "x".repeat(100));
      Thread.sleep(1200); // two redraws
    }
    String shown = text();
    assertTrue(shown.contains(" task 2: mapper: " + "x".repeat(40 - 16 - 1) + "…"), shown);
    assertFalse(shown.contains("x".repeat(40)), shown);
  }

  @Test
  void withoutATerminalOnlyTheFinalLineIsPrinted() {
    try (ProgressReporter.Stage stage = new ProgressReporter(out, false).forStage(LABEL, 4)) {
      stage.onProgress(2, 4);
      stage.finished(4, 1.25, METRICS);
    }
    assertEquals(FINAL, text());
  }

  @Test
  void compressedShuffleBytesShowWhatTheyWouldBeRawAndSpillsAndPeakMemoryAreCounted() {
    TaskMetrics spilled = new TaskMetrics(7, 0, 3 << 20, 1 << 20, 5, 3, 5 << 20, 64 << 10, 6 << 20, 1 << 20);
    try (ProgressReporter.Stage stage = new ProgressReporter(out, false).forStage(LABEL, 2)) {
      stage.finished(2, 0.5, spilled);
    }
    assertEquals(LABEL + ": 2/2 tasks done in 0.50 s (7 records out, shuffle read 3.0 MiB (raw 6.0 MiB), "
        + "shuffle write 1.0 MiB, 3 spills of 5.0 MiB, peak task memory 64.0 KiB)\n", text());
  }

  @Test
  void aStageThatFailsLeavesACleanLineAndNoFinalLine() {
    try (ProgressReporter.Stage stage = new ProgressReporter(out, true, 60).forStage(LABEL, 4)) {
      stage.onProgress(1, 4);
    }
    String shown = text();
    assertTrue(shown.contains("1/4 tasks"), shown);
    assertTrue(shown.endsWith(ProgressReporter.ERASE_LINE), shown);
    assertFalse(shown.contains("tasks done"), shown);
  }

  @Test
  void aLabelWiderThanTheTerminalNeverWrapsTheBar() {
    String label = "job 3 stage 0 (textFile " + "/data/very/long/path".repeat(10) + " (9 splits) -> flatMap -> map)";
    try (ProgressReporter.Stage stage = new ProgressReporter(out, true, 80).forStage(label, 9)) {
      stage.onProgress(5, 9);
    }
    for (String drawn : text().replace(ProgressReporter.ERASE_LINE, "\r").split("\r")) {
      assertTrue(drawn.length() <= 80, "drawn " + drawn.length() + " columns wide: [" + drawn + "]");
    }
  }

  @Test
  void barsFollowWhatTheLauncherSaysOfStderr() {
    String before = System.getProperty(JobLauncher.STDERR_TERMINAL_PROPERTY);
    try {
      System.setProperty(JobLauncher.STDERR_TERMINAL_PROPERTY, "true");
      assertTrue(JobLauncher.stderrIsTerminal());
      System.setProperty(JobLauncher.STDERR_TERMINAL_PROPERTY, "false");
      assertFalse(JobLauncher.stderrIsTerminal());
      System.clearProperty(JobLauncher.STDERR_TERMINAL_PROPERTY);
      assertEquals(System.console() != null, JobLauncher.stderrIsTerminal());
    } finally {
      if (before == null) {
        System.clearProperty(JobLauncher.STDERR_TERMINAL_PROPERTY);
      } else {
        System.setProperty(JobLauncher.STDERR_TERMINAL_PROPERTY, before);
      }
    }
  }

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
