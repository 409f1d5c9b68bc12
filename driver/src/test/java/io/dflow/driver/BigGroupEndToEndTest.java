package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dflowtest.jobs.BigGroupJob}: a {@code groupByKey} whose one big key has 6 M values
 * (about 48 MB as numbers, over 100 MB as the objects a list of them would be) with
 * {@code dflow.task.memoryBytes} of 1 MiB. On {@code local[2]} and on two executor JVMs of 128
 * MiB heap each (where a list of the big key's values could not be held) the job completes;
 * every key's count and sum equal a reference computed here, the big key refused a second
 * iteration while the small keys' lists iterated again, a grouping whose values nobody reads
 * still yields every key, and a grouping into mostly empty partitions is right. On two JVMs the
 * segments of the other executor over 64 KiB are fetched to disk and merged from there.
 */
class BigGroupEndToEndTest {
  private static final long N = 6_000_000;

  @TempDir
  Path dir;

  @Test
  void inProcess() throws IOException {
    check("local[2]");
  }

  @Test
  void onTwoExecutorJvmsOfSmallHeap() throws IOException {
    check("local-cluster[2,1]", "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        "--conf", "dflow.executor.memory=128m", "--conf", "dflow.shuffle.maxRemoteBlockSizeFetchToMem=64k");
  }

  private void check(String master, String... extra) throws IOException {
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("run", "--master", master, "--class", "dflowtest.jobs.BigGroupJob",
        "--conf", "dflow.task.memoryBytes=1m"));
    args.addAll(List.of(extra));
    args.addAll(List.of(TestJars.testJobs(dir).toString(), out.toString(), String.valueOf(N)));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exit(), run.err());

    Map<String, long[]> reference = new TreeMap<>();
    for (long v = 0; v < N; v++) {
      long[] countSum = reference.computeIfAbsent(v % 8 == 0 ? "small-" + (v / 8 % 1000) : "big", k -> new long[2]);
      countSum[0]++;
      countSum[1] += v;
    }
    List<String> expected = new ArrayList<>();
    reference.forEach((k, cs) -> expected.add(k + "\t" + cs[0] + "\t" + cs[1] + "\t"
        + (k.equals("big") ? "refused" : "again")));
    assertEquals(expected, sorted(WordCountEndToEndTest.outputLines(out.resolve("groups"))));
    assertEquals(new ArrayList<>(reference.keySet()), WordCountEndToEndTest.outputLines(out.resolve("keys")));
    assertEquals(List.of("1\t21", "2\t20"), sorted(WordCountEndToEndTest.outputLines(out.resolve("sparse"))));
  }

  private static List<String> sorted(List<String> lines) {
    return new ArrayList<>(new TreeSet<>(lines));
  }
}
