package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code dflow run} process told to stop (SIGTERM, SIGINT, or {@code System.exit} in its
 * map function) while its job runs: it says what it cancelled, exits with 128 + the signal (or
 * the code given), and leaves no {@code _temporary}, no {@code _SUCCESS} and no local app folder
 * behind, so a rerun is not refused. A driver killed outright (SIGKILL) cleans up nothing, but
 * its executor JVMs exit on their own and a rerun on its output path succeeds.
 */
class CancellationTest {
  @TempDir
  Path dir;

  @Test
  void sigtermCancelsTheJobAndCleansUp() throws Exception {
    cancel("TERM", 143);
  }

  @Test
  void sigintCancelsTheJobAndCleansUp() throws Exception {
    cancel("INT", 130);
  }

  private void cancel(String signal, int expectedExit) throws Exception {
    Path out = dir.resolve("out-" + signal);
    Path local = Files.createDirectories(dir.resolve("local-" + signal));
    Path log = dir.resolve("log-" + signal);
    Process p = new ProcessBuilder(dflowRun("--master", "local[2]", "--class", "dflowtest.jobs.SlowSaveJob",
        "--conf", "dflow.local.dir=" + local,
        TestJars.testJobs(dir).toString(), out.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(out.resolve("_temporary")) && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(out.resolve("_temporary")), "the job set its output up:\n" + read(log));
    Thread.sleep(500); // its tasks are asleep in their map function
    assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends:\n" + read(log));
    String text = read(log);
    assertEquals(expectedExit, p.exitValue(), text);
    assertTrue(text.contains("cancelling application app-"), text);
    assertTrue(text.contains("error: cancelled: the dflow process was asked to stop"), text);
    assertFalse(Files.exists(out.resolve("_temporary")), "no _temporary left:\n" + text);
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
    try (Stream<Path> left = Files.list(local)) {
      assertEquals(List.of(), left.toList(), "no local app folder left");
    }
  }

  @Test
  void systemExitInAMapFunctionIsNamedAndCleansUp() throws Exception {
    Path out = dir.resolve("out-exit");
    Path local = Files.createDirectories(dir.resolve("local-exit"));
    Process p = new ProcessBuilder(dflowRun("--master", "local[2]", "--class", "dflowtest.jobs.ExitingJob",
        "--conf", "dflow.local.dir=" + local,
        TestJars.testJobs(dir).toString(), out.toString()))
        .redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), text);
    assertEquals(5, p.exitValue(), text);
    assertTrue(text.contains("cancelling application app-") && text.contains(
        "user code called System.exit on thread driver-slot-") && text.contains("dflowtest.jobs.ExitingJob.exit("),
        "the line names the code that ended the process:\n" + text);
    assertFalse(Files.exists(out.resolve("_temporary")), "no _temporary left:\n" + text);
    try (Stream<Path> left = Files.list(local)) {
      assertEquals(List.of(), left.toList(), "no local app folder left");
    }
  }

  @Test
  void aKilledDriverLeavesNoExecutorAndARerunOnItsPathSucceeds() throws Exception {
    Path out = dir.resolve("out-kill9");
    Path local = Files.createDirectories(dir.resolve("local-kill9"));
    Path log = dir.resolve("log-kill9");
    Process p = new ProcessBuilder(dflowRun("--master", "local-cluster[2,1]", "--class", "dflowtest.jobs.SlowSaveJob",
        "--conf", "dflow.local.dir=" + local,
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        TestJars.testJobs(dir).toString(), out.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(out.resolve("_temporary")) && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(out.resolve("_temporary")), "the job set its output up:\n" + read(log));
    while (executorsOf(local).size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (executorsOf(local).size() < 2) {
      p.destroyForcibly();
      throw new AssertionError("two executor JVMs run its tasks:\n" + read(log));
    }
    Thread.sleep(500);
    p.destroyForcibly(); // SIGKILL: no hook runs, nothing is cleaned up by the driver
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!executorsOf(local).isEmpty() && System.nanoTime() < gone) {
      Thread.sleep(100);
    }
    assertEquals(List.of(), executorsOf(local), "executors whose driver is gone exit on their own");

    Path text = dir.resolve("words.txt");
    Files.writeString(text, "to be or not to be\nthat is the question\n");
    CliRun rerun = CliRun.of("run", "--master", "local[2]", "--class", "io.dflow.examples.WordCount",
        TestJars.examples().toString(), text.toString(), out.toString());
    assertEquals(0, rerun.exit(), "the dead driver's claim on the path is cleaned up:\n" + rerun.err());
    List<String> lines = new java.util.ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
        lines.addAll(Files.readAllLines(part));
      }
    }
    assertEquals(Corpus.count(Files.readString(text)), Corpus.parseCounts(lines));
    assertFalse(Files.exists(out.resolve("_temporary")), "no _temporary left");
  }

  /**
   * The executor JVMs running with their local folders under {@code local}, by their command
   * lines in /proc ({@code ProcessHandle.Info} cuts long ones short).
   */
  private static List<Long> executorsOf(Path local) {
    return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> {
      try {
        String cmd = Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline"), StandardCharsets.ISO_8859_1);
        return cmd.contains("io.dflow.executor.ExecutorMain") && cmd.contains(local.toString());
      } catch (IOException | RuntimeException gone) {
        return false;
      }
    }).toList();
  }

  /** The command of a real {@code dflow run} process with {@code args}, on this build's class path. */
  private static List<String> dflowRun(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", TestJars.executorClasspath(), "io.dflow.driver.cli.DflowCli", "run"));
    command.addAll(List.of(args));
    return command;
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
