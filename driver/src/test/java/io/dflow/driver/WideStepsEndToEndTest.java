package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reduceByKey, groupByKey, sortByKey, partitionBy, count and collect on two executor JVMs,
 * checked against the same computations done directly in the test.
 */
class WideStepsEndToEndTest {
  private static final int N = 20_000;

  @TempDir
  Path dir;

  @Test
  void everyWideStepOnALocalCluster() throws IOException {
    List<Long> numbers = new ArrayList<>(LongStream.range(0, N).boxed().toList());
    Collections.shuffle(numbers, new Random(7));
    Path in = Files.createDirectories(dir.resolve("in"));
    for (int f = 0; f < 3; f++) {
      List<String> lines = numbers.subList(f * N / 3, (f + 1) * N / 3).stream().map(String::valueOf).toList();
      Files.write(in.resolve("part-" + f + ".txt"), lines);
    }
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("run", "--master", "local-cluster[2,1]", "--class", "dflowtest.jobs.WideStepsJob",
        "--conf", "dflow.input.maxSplitBytes=20000",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        TestJars.testJobs(dir).toString(), in.toString(), out.toString());
    assertEquals(0, run.exit(), run.err());

    Map<Long, Long> sums = new TreeMap<>();
    Map<Long, List<Long>> groups = new TreeMap<>();
    for (long n = 0; n < N; n++) {
      sums.merge(n % 97, n, Long::sum);
      groups.computeIfAbsent(n % 97, k -> new ArrayList<>()).add(n);
    }
    assertEquals(lines(sums), sorted(read(out.resolve("reduce"))));
    Map<Long, String> groupText = new TreeMap<>();
    groups.forEach((k, v) -> groupText.put(k, v.toString()));
    assertEquals(lines(groupText), sorted(read(out.resolve("group"))));

    List<String> expectedSort = LongStream.range(0, N).map(i -> N - 1 - i)
        .mapToObj(n -> n + "\t" + (n % 97)).toList();
    assertEquals(expectedSort, read(out.resolve("sort")), "sortByKey must give a total order across part files");

    assertParity(out.resolve("parity"));
    assertEquals(List.of("count=" + N, "small=5"), read(out.resolve("summary")));
  }

  private static void assertParity(Path parity) throws IOException {
    Set<String> all = new HashSet<>();
    for (int p = 0; p < 2; p++) {
      for (String line : Files.readAllLines(parity.resolve(String.format("part-%05d", p)))) {
        long key = Long.parseLong(line.substring(0, line.indexOf('\t')));
        assertEquals(p, key % 2, "key " + key + " in partition " + p);
        assertTrue(all.add(line), "duplicate " + line);
      }
    }
    assertEquals(N, all.size());
  }

  private static List<String> read(Path out) throws IOException {
    assertTrue(Files.exists(out.resolve("_SUCCESS")), out + " has no _SUCCESS");
    return WordCountEndToEndTest.outputLines(out);
  }

  private static List<String> lines(Map<Long, ?> map) {
    return sorted(map.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).toList());
  }

  private static List<String> sorted(List<String> lines) {
    return lines.stream().sorted().collect(Collectors.toList());
  }

}
