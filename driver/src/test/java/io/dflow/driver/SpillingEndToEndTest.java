package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dflowtest.jobs.SpillingJob} on {@code local[2]} and on {@code local-cluster[2,1]} with
 * {@code dflow.task.memoryBytes=65536}, so that every shuffle's sorters spill (the stage lines
 * say so). In process, the reducers of groupByKey and sortByKey merge the sorted map outputs
 * directly and need no sorter (their lines show no spill); on two JVMs with a fetch budget
 * smaller than their segments they sort again, and spill. Either way reduceByKey, groupByKey,
 * sortByKey (a total order across part files) and a join equal
 * the same computations done here in plain Java, no task left a file in its scratch folder after
 * any action, and {@code dflow.local.dir} is empty or gone once the run is over.
 */
class SpillingEndToEndTest {
  private static final int N = 60_000;
  private static final Pattern STAGE = Pattern.compile("^(.*): \\d+/\\d+ tasks done in [0-9.]+ s \\((.*)\\)$");

  @TempDir
  Path dir;

  @Test
  void inProcess() throws IOException {
    check("local[2]", true);
  }

  @Test
  void onTwoExecutorJvms() throws IOException {
    check("local-cluster[2,1]", false, "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        "--conf", "dflow.shuffle.maxBytesInFlight=65536");
  }

  private void check(String master, boolean merges, String... extra) throws IOException {
    List<Long> numbers = new ArrayList<>(LongStream.range(0, N).boxed().toList());
    Collections.shuffle(numbers, new Random(11));
    Path in = Files.createDirectories(dir.resolve("in"));
    for (int f = 0; f < 3; f++) {
      Files.write(in.resolve("part-" + f + ".txt"),
          numbers.subList(f * N / 3, (f + 1) * N / 3).stream().map(String::valueOf).toList());
    }
    Path localDir = dir.resolve("local");
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("run", "--master", master, "--class", "dflowtest.jobs.SpillingJob",
        "--conf", "dflow.task.memoryBytes=65536",
        "--conf", "dflow.local.dir=" + localDir,
        "--conf", "dflow.input.maxSplitBytes=60000"));
    args.addAll(List.of(extra));
    args.addAll(List.of(TestJars.testJobs(dir).toString(), in.toString(), out.toString()));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exit(), run.err());

    // every stage that went through a sorter spilled: each map stage, the aggregation's reducers,
    // and the grouping's and sort's unless they merged the map outputs directly
    int stages = 0;
    int spillingStages = 0;
    Set<String> spilled = new TreeSet<>();
    for (String line : run.err().lines().toList()) {
      Matcher m = STAGE.matcher(line);
      if (m.matches() && (m.group(2).contains("shuffle write") || m.group(1).contains("(read shuffle "))) {
        stages++;
        boolean merged = merges && !m.group(2).contains("shuffle write")
            && (m.group(1).contains("groupByKey") || m.group(1).contains("sortByKey"));
        assertEquals(!merged, m.group(2).contains(" spills of "), "spills or not: " + line + "\n" + run.err());
      }
      if (m.matches() && m.group(2).contains(" spills of ")) {
        spillingStages++;
      }
      if (m.matches() && m.group(2).contains(" spills of ")
          && shown(m.group(2), " spills of ") > Math.max(shown(m.group(2), "shuffle write "),
              shown(m.group(2), "shuffle read "))) {
        spilled.add(m.group(1).replaceFirst("^job \\d+ ", ""));
      }
    }
    assertEquals(7, stages, "four map stages and three reduce stages: " + run.err());
    assertTrue(!spilled.isEmpty() && spilled.size() < spillingStages,
        "some stages spilled more than they shuffled, some not: " + spilled + "\n" + run.err());
    // the application ends with a spill warning for each of those stages, just before its last two lines
    List<String> lines = run.err().lines().filter(l -> !l.contains(" WARN ")).toList();
    List<String> warnings = lines.stream().filter(l -> l.startsWith("warning: ")).toList();
    assertEquals(warnings, lines.subList(lines.size() - 2 - warnings.size(), lines.size() - 2), run.err());
    assertTrue(lines.get(lines.size() - 2).startsWith("event log: "), run.err());
    Pattern spill = Pattern.compile("warning: (.*): its tasks spilled .* to disk in \\d+ spills?, more than the .* it"
        + " shuffled: records were written and read again more than once: give tasks more memory .*");
    assertEquals(spilled, warnings.stream().map(spill::matcher).filter(Matcher::matches).map(w -> w.group(1))
        .collect(Collectors.toCollection(TreeSet::new)),
        "a spill warning per stage that spilled more than it shuffled: " + warnings);

    Map<Long, Long> sums = new TreeMap<>();
    Map<Long, List<Long>> groups = new TreeMap<>();
    List<String> sortKeys = new ArrayList<>();
    List<String> joined = new ArrayList<>();
    for (long n = 0; n < N; n++) {
      sums.merge(n % 20011, n, Long::sum);
      groups.computeIfAbsent(n % 1009, k -> new ArrayList<>()).add(n);
      sortKeys.add("key-" + (n * 7919 % 50_000) + "-" + n + "\t" + n);
      long k = n % 2000;
      if (k % 3 != 0) {
        joined.add(k + "\t" + n + "\tname-" + k);
      }
    }
    List<String> sumLines = new ArrayList<>();
    sums.forEach((k, v) -> sumLines.add(k + "\t" + v));
    assertEquals(sorted(sumLines), sorted(read(out.resolve("reduce"))), "reduceByKey");
    List<String> groupLines = new ArrayList<>();
    groups.forEach((k, v) -> groupLines.add(k + "\t" + v));
    assertEquals(sorted(groupLines), sorted(read(out.resolve("group"))), "groupByKey");
    Collections.sort(sortKeys, (a, b) -> a.substring(0, a.indexOf('\t')).compareTo(b.substring(0, b.indexOf('\t'))));
    assertEquals(sortKeys, read(out.resolve("sort")), "sortByKey: a total order across part files");
    assertEquals(sorted(joined), sorted(read(out.resolve("join"))), "join");
    assertEquals(List.of(), read(out.resolve("leftovers")), "files left in task scratch folders");
    List<String> seen = read(out.resolve("seen"));
    assertTrue(seen.size() == 1 && !seen.get(0).endsWith(" 0"), "the job looked where executors keep files: " + seen);

    if (Files.exists(localDir)) {
      try (Stream<Path> left = Files.walk(localDir)) {
        List<Path> files = left.filter(p -> !p.equals(localDir)).toList();
        assertEquals(List.of(), files, "left in dflow.local.dir after the run");
      }
    }
    assertFalse(run.err().contains("Exception"), run.err());
  }

  private static List<String> read(Path out) throws IOException {
    assertTrue(Files.exists(out.resolve("_SUCCESS")), out + " has no _SUCCESS");
    return WordCountEndToEndTest.outputLines(out);
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    Collections.sort(copy);
    return copy;
  }

  /** The size a stage line shows after {@code label} ("shuffle write 1.5 MiB"), in bytes; 0 if it shows none. */
  private static double shown(String stageLine, String label) {
    Matcher m = Pattern.compile(Pattern.quote(label) + "([0-9.]+) (B|KiB|MiB|GiB)").matcher(stageLine);
    if (!m.find()) {
      return 0;
    }
    int power = List.of("B", "KiB", "MiB", "GiB").indexOf(m.group(2));
    return Double.parseDouble(m.group(1)) * Math.pow(1024, power);
  }
}
