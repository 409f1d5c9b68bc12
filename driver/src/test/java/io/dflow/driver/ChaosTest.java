package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WordCount on {@code local-cluster[3,1]} with one executor JVM SIGKILLed at a random moment of
 * the job (seed printed): every run must succeed with exactly the reference counts, leave no
 * {@code _temporary} and no executor JVM behind, and say that an executor was lost and
 * replaced. A few runs here; {@code bench/chaos.sh} runs many.
 */
class ChaosTest {
  @TempDir
  static Path dir;
  static Path corpus;
  static Map<String, Long> expected;

  @BeforeAll
  static void corpus() throws IOException {
    corpus = dir.resolve("corpus.txt");
    Corpus.write(corpus, 12_000_000, 21);
    expected = Corpus.count(Files.readString(corpus));
  }

  @Test
  void killingAnExecutorAtARandomMomentLosesNothing() throws Exception {
    long seed = Long.getLong("dflow.chaos.seed", System.nanoTime());
    System.out.println("chaos seed " + seed);
    Random random = new Random(seed);
    int killed = 0;
    for (int run = 0; run < 3; run++) {
      killed += runOnce(run, random.nextInt(2500), random) ? 1 : 0;
    }
    assertTrue(killed >= 1, "at least one run had an executor killed while it ran (seed " + seed + ")");
  }

  /** One run; returns whether an executor was killed while the job ran. */
  private boolean runOnce(int run, int delayMillis, Random random) throws Exception {
    Path out = dir.resolve("out-" + run);
    Path local = Files.createDirectories(dir.resolve("local-" + run));
    Path log = dir.resolve("log-" + run);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process driver = new ProcessBuilder(java, "-cp", TestJars.executorClasspath(), "io.dflow.driver.cli.DflowCli",
        "run", "--master", "local-cluster[3,1]", "--class", "io.dflow.examples.WordCount",
        "--conf", "dflow.input.maxSplitBytes=1500000", "--conf", "dflow.local.dir=" + local,
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        TestJars.examples().toString(), corpus.toString(), out.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // the output is set up once every executor registered and the job started
    while (!Files.exists(out.resolve("_temporary")) && driver.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(delayMillis);
    List<ProcessHandle> running = executors(driver);
    boolean killed = !running.isEmpty() && driver.isAlive();
    if (killed) {
      ProcessHandle victim = running.get(random.nextInt(running.size()));
      killed = victim.destroyForcibly(); // SIGKILL
      System.out.println("run " + run + ": killed executor process " + victim.pid() + " after " + delayMillis + " ms");
    }
    assertTrue(driver.waitFor(120, TimeUnit.SECONDS), "run " + run + " ends:\n" + read(log));
    List<ProcessHandle> left = executors(driver);
    String text = read(log);
    String what = "run " + run + " (kill after " + delayMillis + " ms):\n" + text;
    assertEquals(0, driver.exitValue(), what);
    assertEquals(expected, counts(out), what);
    assertFalse(Files.exists(out.resolve("_temporary")), what);
    assertTrue(left.stream().noneMatch(ProcessHandle::isAlive), "no executor JVM outlives its driver: " + what);
    // a replacement that had not registered by the end is not counted as replaced
    assertTrue(killed ? text.contains("; 1 executor lost, ") : !text.contains(" lost, "), what);
    return killed;
  }

  private static List<ProcessHandle> executors(Process driver) {
    return driver.toHandle().descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)) // the driver starts only executors
        .toList();
  }

  private static Map<String, Long> counts(Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(part));
      }
    }
    return Corpus.parseCounts(lines);
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
