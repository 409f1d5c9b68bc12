package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled examples run from the examples jar on both masters and agree with the same
 * computations done here in plain Java: PageRank with a power iteration to 1e-9, the join of
 * the two bundled tables, the naive tiny-tasks sum, a word count's cases.
 */
class ExamplesTest {
  private static final Path DATA = Path.of("..", "examples", "data").toAbsolutePath().normalize();
  private static final int ITERATIONS = 10;

  @TempDir
  Path dir;

  /** What a run printed on stdout and stderr. */
  private record Printed(CliRun run, String out) {}

  private Printed run(String master, String job, String... args) {
    List<String> cli = new ArrayList<>(List.of("run", "--master", master, "--class", "io.dflow.examples." + job,
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(), TestJars.examples().toString()));
    cli.addAll(List.of(args));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    CliRun run;
    try {
      run = CliRun.of(cli.toArray(String[]::new));
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, run.exit(), run.err());
    return new Printed(run, printed.toString(StandardCharsets.UTF_8));
  }

  @Test
  void pageRankMatchesAPowerIterationOnBothMasters() throws IOException {
    Map<String, Double> expected = powerIteration(Files.readAllLines(DATA.resolve("graph.txt")), ITERATIONS);
    for (String master : List.of("local[2]", "local-cluster[2,1]")) {
      Path out = dir.resolve("ranks-" + master.replaceAll("\\W", ""));
      Printed p = run(master, "PageRank", DATA.resolve("graph.txt").toString(), String.valueOf(ITERATIONS), out.toString());
      Map<String, Double> got = new TreeMap<>();
      for (String line : WordCountEndToEndTest.outputLines(out)) {
        String[] f = line.split("\t");
        got.put(f[0], Double.parseDouble(f[1]));
      }
      assertEquals(expected.keySet(), got.keySet(), master);
      for (String page : expected.keySet()) {
        assertEquals(expected.get(page), got.get(page), 1e-9, master + ": page " + page);
      }
      String best = expected.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      assertTrue(p.out().startsWith(String.format(Locale.ROOT, "%s\t%.6f", best, expected.get(best))), p.out());
      assertTrue(p.run().err().lines().anyMatch(l -> l.matches("job 1 skipped stages [0-9, ]+: their outputs exist from earlier jobs")),
          "the collect after the save reuses the last iteration's shuffle:\n" + p.run().err());
    }
  }

  /** Spark's PageRank, directly: pages without in-links drop out after the first iteration. */
  static Map<String, Double> powerIteration(List<String> lines, int iterations) {
    Map<String, Set<String>> links = new TreeMap<>();
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      links.computeIfAbsent(f[0], k -> new LinkedHashSet<>()).add(f[1]);
    }
    Map<String, Double> ranks = new HashMap<>();
    links.keySet().forEach(page -> ranks.put(page, 1.0));
    for (int i = 0; i < iterations; i++) {
      Map<String, Double> sums = new HashMap<>();
      for (Map.Entry<String, Set<String>> e : links.entrySet()) {
        Double rank = ranks.get(e.getKey());
        if (rank != null) {
          for (String target : e.getValue()) {
            sums.merge(target, rank / e.getValue().size(), Double::sum);
          }
        }
      }
      ranks.clear();
      sums.forEach((page, sum) -> ranks.put(page, 0.15 + 0.85 * sum));
    }
    return new TreeMap<>(ranks);
  }

  @Test
  void theJoinOfTheBundledTablesMatchesOneDoneHere() throws IOException {
    Map<String, String> customers = new TreeMap<>();
    for (String line : Files.readAllLines(DATA.resolve("customers.tsv"))) {
      if (!line.startsWith("#")) {
        String[] f = line.split("\t");
        customers.put(f[0], f[1] + "\t" + f[2]);
      }
    }
    Map<String, long[]> totals = new HashMap<>();
    long orphans = 0;
    for (String line : Files.readAllLines(DATA.resolve("orders.tsv"))) {
      if (line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      long cents = Math.round(Double.parseDouble(f[2]) * 100);
      if (!customers.containsKey(f[1])) {
        orphans++;
      }
      long[] t = totals.computeIfAbsent(f[1], k -> new long[2]);
      t[0]++;
      t[1] += cents;
    }
    List<String> expected = new ArrayList<>();
    customers.forEach((id, who) -> {
      long[] t = totals.getOrDefault(id, new long[2]);
      expected.add(String.format(Locale.ROOT, "%s\t%d\t%d.%02d", who, t[0], t[1] / 100, t[1] % 100));
    });
    expected.sort(null);
    assertTrue(orphans > 0 && expected.stream().anyMatch(l -> l.endsWith("\t0\t0.00")),
        "the bundled tables have orders of unknown customers and customers without orders");
    for (String master : List.of("local[2]", "local-cluster[2,1]")) {
      Path out = dir.resolve("joined-" + master.replaceAll("\\W", ""));
      Printed p = run(master, "Join", DATA.resolve("customers.tsv").toString(), DATA.resolve("orders.tsv").toString(),
          out.toString());
      List<String> got = new ArrayList<>(WordCountEndToEndTest.outputLines(out));
      got.sort(null);
      assertEquals(expected, got, master);
      assertEquals("orders of unknown customers: " + orphans, p.out().strip(), master);
    }
  }

  @Test
  void theNaiveTinyTasksProgramSumsExactlyInAFewTasks() {
    Printed p = run("local[2]", "NaiveTinyTasks", "3000");
    BigInteger expected = BigInteger.ZERO;
    for (int x = 0; x < 3000; x++) {
      expected = expected.add(BigInteger.valueOf(x).pow(10));
    }
    assertEquals("sum of x^10 for x in [0, 3000) = " + expected, p.out().strip());
    assertTrue(p.run().lastErrLine().endsWith("(1 job, 1 stage, 4 tasks)"), p.run().lastErrLine());
  }

  @Test
  void wordCountCountsCaseSensitiveWords() throws IOException {
    Path in = Files.writeString(dir.resolve("in.txt"), "the cat\tThe cat.\n\n  the\u2003end \n");
    Path out = dir.resolve("words");
    run("local[2]", "WordCount", in.toString(), out.toString());
    List<String> lines = new ArrayList<>(WordCountEndToEndTest.outputLines(out));
    lines.sort(null);
    assertEquals(List.of("The\t1", "cat\t1", "cat.\t1", "end\t1", "the\t2"), lines);
  }
}
