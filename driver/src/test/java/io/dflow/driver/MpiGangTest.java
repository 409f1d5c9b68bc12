package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MPI gangs run by real {@code mpirun} with real rank JVMs: the bundled examples against serial
 * computations done here, a gang between ordinary stages, and a rank that throws, one that is
 * SIGKILLed (the retry succeeds), one that hangs, a gang bigger than the cluster; after every
 * one of them no rank and no {@code mpirun} is left running.
 */
class MpiGangTest {
  @TempDir
  Path dir;

  /** What a run printed on stdout and stderr. */
  private record Printed(CliRun run, String out) {}

  private Printed run(String master, String jobClass, Path jar, String... args) {
    List<String> cli = new ArrayList<>(List.of("run", "--master", master, "--class", jobClass,
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath()));
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty() && rest.get(0).equals("--conf")) {
      cli.addAll(rest.subList(0, 2));
      rest = new ArrayList<>(rest.subList(2, rest.size()));
    }
    cli.add(jar.toString());
    cli.addAll(rest);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      return new Printed(CliRun.of(cli.toArray(String[]::new)), printed.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
    }
  }

  @AfterEach
  void nothingLeftRunning() throws InterruptedException {
    List<String> left = List.of();
    for (int i = 0; i < 100; i++) {
      left = ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
          .filter(c -> c.contains("io.dflow.executor.mpi.RankMain") || c.matches("^\\S*mpirun .*"))
          .toList();
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("processes left running: " + left);
  }

  @Test
  void psumEveryRankGetsTheSerialTotalOnBothMasters() {
    int n = 100_003;
    Random random = new Random(5);
    double[] numbers = new double[n];
    double serial = 0;
    for (int i = 0; i < n; i++) {
      numbers[i] = random.nextDouble();
      serial += numbers[i];
    }
    // the last run's ranks connect over TLS, their key material passed through mpirun's environment
    for (String run : List.of("local[4]", "local-cluster[2,2]", "local-cluster[2,2] dflow.network.crypto.enabled=true")) {
      String master = run.split(" ")[0];
      List<String> args = new ArrayList<>();
      if (run.contains(" ")) {
        args.addAll(List.of("--conf", run.split(" ")[1]));
      }
      args.addAll(List.of("4", String.valueOf(n), "5"));
      Printed p = run(master, "io.dflow.examples.MpiPsum", TestJars.examples(), args.toArray(String[]::new));
      assertEquals(0, p.run().exit(), p.run().err());
      Matcher m = Pattern.compile("rank (\\d): its slice sums to (\\S+), the total is (\\S+)").matcher(p.out());
      double sliceSum = 0;
      List<Double> totals = new ArrayList<>();
      int ranks = 0;
      while (m.find()) {
        int rank = Integer.parseInt(m.group(1));
        double expectedSlice = 0;
        for (int i = (int) ((long) n * rank / 4); i < (int) ((long) n * (rank + 1) / 4); i++) {
          expectedSlice += numbers[i];
        }
        assertEquals(expectedSlice, Double.parseDouble(m.group(2)), 1e-9, master + " rank " + rank);
        sliceSum += Double.parseDouble(m.group(2));
        totals.add(Double.parseDouble(m.group(3)));
        ranks++;
      }
      assertEquals(4, ranks, p.out());
      assertEquals(1, totals.stream().distinct().count(), "every rank has the same total: " + totals);
      assertEquals(serial, totals.get(0), 1e-9 * n, run);
      assertEquals(sliceSum, totals.get(0), 1e-9, run);
      assertTrue(p.run().err().contains("mpi(4)"), p.run().err());
    }
  }

  @Test
  void monteCarloPiCountsTheSameHitsAsASerialLoop() {
    int ranks = 3;
    long darts = 200_000;
    long seed = 11;
    long hits = 0;
    for (int r = 0; r < ranks; r++) {
      Random random = new Random(seed + r);
      for (long i = 0; i < darts; i++) {
        double x = random.nextDouble();
        double y = random.nextDouble();
        if (x * x + y * y <= 1) {
          hits++;
        }
      }
    }
    Printed p = run("local[3]", "io.dflow.examples.MonteCarloPi", TestJars.examples(),
        String.valueOf(ranks), String.valueOf(darts), String.valueOf(seed));
    assertEquals(0, p.run().exit(), p.run().err());
    assertTrue(p.out().contains("(" + hits + " of " + ranks * darts + " darts inside the circle"), p.out());
  }

  @Test
  void heatDiffusionWithHaloExchangeMatchesASerialSolverExactly() throws IOException {
    int points = 401;
    int steps = 300;
    double[] u = new double[points];
    for (int i = 1; i < points - 1; i++) {
      double x = (double) i / (points - 1);
      u[i] = Math.exp(-100 * (x - 0.5) * (x - 0.5));
    }
    for (int s = 0; s < steps; s++) {
      double[] next = new double[points];
      for (int i = 1; i < points - 1; i++) {
        next[i] = u[i] + 0.25 * (u[i - 1] - 2 * u[i] + u[i + 1]);
      }
      u = next;
    }
    Path out = dir.resolve("heat");
    Printed p = run("local-cluster[2,2]", "io.dflow.examples.HeatDiffusion", TestJars.examples(),
        "4", String.valueOf(points), String.valueOf(steps), out.toString());
    assertEquals(0, p.run().exit(), p.run().err());
    Map<String, String> got = readPairs(out);
    assertEquals(points, got.size());
    for (int i = 0; i < points; i++) {
      assertEquals(u[i], Double.parseDouble(got.get(String.valueOf(i))), 0.0, "point " + i);
    }
  }

  @Test
  void aGangBetweenOrdinaryStagesSeesAndPassesOnEveryRecord() throws IOException {
    Path in = dir.resolve("in.txt");
    Random random = new Random(3);
    Map<String, String> expected = new TreeMap<>();
    StringBuilder text = new StringBuilder();
    long total = 0;
    for (int i = 0; i < 5000; i++) {
      String key = "k" + random.nextInt(40);
      long value = random.nextInt(1000);
      text.append(key).append(' ').append(value).append('\n');
      expected.merge(key, String.valueOf(value), (a, b) -> String.valueOf(Long.parseLong(a) + Long.parseLong(b)));
      total += value;
    }
    expected.put("#total", String.valueOf(total));
    Files.writeString(in, text);
    Path out = dir.resolve("out");
    Printed p = run("local-cluster[2,2]", "dflowtest.jobs.MpiPipelineJob", TestJars.testJobs(dir),
        "--conf", "dflow.input.maxSplitBytes=10000", in.toString(), out.toString());
    assertEquals(0, p.run().exit(), p.run().err());
    assertEquals(expected, readPairs(out));
  }

  @Test
  void ranksReadACachedDatasetFromTheExecutorsHoldingItInsteadOfComputingItAgain() throws IOException {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    Printed p = run("local-cluster[2,2]", "dflowtest.jobs.MpiCachedJob", TestJars.testJobs(dir), markers.toString());
    assertEquals(0, p.run().exit(), p.run().err());
    long total = 40_000L * 40_001 / 2;
    assertTrue(p.out().contains("count 40000 totals [" + total + ", " + total + ", " + total + ", " + total + "]"),
        p.out());
    List<String> computed;
    try (var files = Files.list(markers)) {
      computed = files.map(f -> f.getFileName().toString().replaceAll("-\\d+$", "")).sorted().toList();
    }
    assertEquals(List.of("computed-0", "computed-1", "computed-2", "computed-3"), computed,
        "each partition computed once, by the count; the ranks fetched them from the cache");
  }

  @Test
  void aRankThatThrowsFailsTheJobNamingTheRankAndItsError() throws IOException {
    Printed p = run("local[4]", "dflowtest.jobs.MpiFailingJob", TestJars.testJobs(dir), "throw", "4");
    assertEquals(1, p.run().exit(), p.run().err());
    String first = p.run().firstErrLine();
    assertTrue(first.contains("MPI gang failed") && first.contains("rank 2 of mpi(4)")
        && first.contains("gang attempt 2 of 2"), p.run().err());
    assertTrue(p.run().err().contains("IllegalStateException: rank 2 refuses to add 3"), p.run().err());
  }

  @Test
  void aRankKilledBySigkillIsRetriedWithTheWholeGang() throws IOException {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    Printed p = run("local-cluster[2,2]", "dflowtest.jobs.MpiFailingJob", TestJars.testJobs(dir),
        "kill-once", "4", markers.toString());
    assertEquals(0, p.run().exit(), p.run().err());
    assertTrue(Files.exists(markers.resolve("killed")), "rank 1 killed itself on the first attempt");
    assertTrue(p.out().contains("totals [10, 10, 10, 10]"), p.out());
  }

  @Test
  void aRankThatHangsIsStoppedByTheGangTimeout() throws IOException {
    Printed p = run("local[2]", "dflowtest.jobs.MpiFailingJob", TestJars.testJobs(dir),
        "--conf", "dflow.mpi.timeout=4000", "--conf", "dflow.mpi.maxAttempts=1", "hang", "2");
    assertEquals(1, p.run().exit(), p.run().err());
    assertTrue(p.run().firstErrLine().contains("ran longer than 4000 ms (dflow.mpi.timeout)"), p.run().err());
  }

  @Test
  void aRankStuckInALoopIsFoundByTheWatchdogWhileItsPeersWaitInMpi() throws IOException {
    Printed p = run("local[2]", "dflowtest.jobs.MpiFailingJob", TestJars.testJobs(dir),
        "--conf", "dflow.task.timeout=2000", "--conf", "dflow.mpi.maxAttempts=1", "spin", "2");
    assertEquals(1, p.run().exit(), p.run().err());
    String first = p.run().firstErrLine();
    assertTrue(first.contains("rank 0 of mpi(2)") && first.contains("dflow.task.timeout=2000"), p.run().err());
  }

  @Test
  void aGangBiggerThanTheClusterFailsBeforeAnyRankStarts() throws IOException {
    Printed p = run("local[2]", "dflowtest.jobs.MpiFailingJob", TestJars.testJobs(dir), "none", "8");
    assertEquals(1, p.run().exit(), p.run().err());
    assertTrue(p.run().firstErrLine().contains("mpi(8) needs 8 task slots at once, but the cluster has 2"),
        p.run().err());
  }

  @Test
  void aMissingMpirunFailsTheStageNamingWhatToInstall() throws IOException {
    Printed p = run("local[2]", "dflowtest.jobs.MpiFailingJob", TestJars.testJobs(dir),
        "--conf", "dflow.mpi.mpirun=no-such-mpirun", "none", "2");
    assertEquals(1, p.run().exit(), p.run().err());
    assertTrue(p.run().firstErrLine().contains("cannot find no-such-mpirun (dflow.mpi.mpirun)")
        && p.run().firstErrLine().contains("apt-get install openmpi-bin libopenmpi-dev"), p.run().err());
  }

  /** Every {@code key<TAB>value} line of the part files under {@code out}. */
  private static Map<String, String> readPairs(Path out) throws IOException {
    Map<String, String> got = new TreeMap<>();
    try (var parts = Files.list(out)) {
      for (Path part : parts.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(part)) {
          int tab = line.indexOf('\t');
          got.put(line.substring(0, tab), line.substring(tab + 1));
        }
      }
    }
    return got;
  }
}
