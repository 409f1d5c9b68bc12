package io.dflow.driver.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.driver.DflowConf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C while a snippet runs: a running job is cancelled (its tasks killed) and the shell goes
 * on, its cached data still there; a snippet looping in the driver is stopped. Ctrl-C with no
 * snippet running does nothing.
 */
class ShellInterruptTest {
  @TempDir
  Path dir;

  @Test
  void ctrlCCancelsTheRunningJobAndKeepsTheShell() throws Exception {
    String flag = "dflow.test.shell.running." + System.nanoTime();
    try (ShellSession shell = ShellSession.open(Map.of(DflowConf.MASTER, "local[2]",
        DflowConf.LOCAL_DIR, dir.toString()), List.of(), new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8))) {
      assertFalse(shell.interrupt(), "nothing runs yet");
      assertFalse(shell.eval("var nums = ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 2).cache();").failed());
      assertEquals(List.of("4"), values(shell.eval("nums.count()")));

      CompletableFuture<SnippetOutcome> stuckJob = CompletableFuture.supplyAsync(() -> shell.eval(
          "nums.map(x -> { System.setProperty(\"" + flag + "\", \"yes\"); Thread.sleep(600_000); return x; },"
              + " Encoders.ints()).count()"));
      while (System.getProperty(flag) == null) {
        Thread.sleep(20);
      }
      assertTrue(shell.interrupt());
      SnippetOutcome cancelled = stuckJob.get();
      assertEquals("job failed: cancelled at the shell's prompt (Ctrl-C)", cancelled.error());

      CompletableFuture<SnippetOutcome> loop = CompletableFuture.supplyAsync(() -> shell.eval(
          "{ System.setProperty(\"" + flag + ".loop\", \"yes\"); while (true) { Thread.onSpinWait(); } }"));
      while (System.getProperty(flag + ".loop") == null) {
        Thread.sleep(20);
      }
      assertTrue(shell.interrupt());
      SnippetOutcome stopped = loop.get();
      assertEquals("stopped: the snippet was still running 5 s after Ctrl-C", stopped.error());

      assertEquals(List.of("20"), values(shell.eval("nums.map(x -> x * 2, Encoders.ints()).reduce((a, b) -> a + b)")),
          "the shell and its cached dataset outlive both");
    } finally {
      System.clearProperty(flag);
      System.clearProperty(flag + ".loop");
    }
  }

  /** The values an expression snippet showed ({@code $N ==> value}). */
  private static List<String> values(SnippetOutcome outcome) {
    assertFalse(outcome.failed(), outcome.toString());
    return outcome.shown().stream().map(l -> l.replaceFirst("^\\$\\d+ ==> ", "")).toList();
  }
}
