package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dflowtest.jobs.JoinKindsJob;
import io.dflow.api.Pair;
import io.dflow.api.plan.Join;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dflowtest.jobs.JoinKindsJob} with {@code dflow.task.memoryBytes} of 256 KiB, so both
 * sides (120,000 and 100,000 records) are several times the memory bound, every sorter spills,
 * and the hot key's 20,000 right values go to disk while its left values pass: inner, left,
 * right and full outer joins, and joins with an empty side, give the records of a reference
 * computed here (count and sum of their strings' hashes), whether the joins run sort-merge or
 * hash, on {@code local[2]} and on two executor JVMs.
 */
class SortMergeJoinEndToEndTest {
  @TempDir
  Path dir;

  @Test
  void sortMergeInProcess() throws IOException {
    check("local[2]", "sortMerge");
  }

  @Test
  void hashInProcess() throws IOException {
    check("local[2]", "hash");
  }

  @Test
  void autoOnTwoExecutorJvms() throws IOException {
    check("local-cluster[2,1]", "auto", "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath());
  }

  private void check(String master, String strategy, String... extra) throws IOException {
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("run", "--master", master, "--class", "dflowtest.jobs.JoinKindsJob",
        "--conf", "dflow.task.memoryBytes=256k", "--conf", "dflow.join.strategy=" + strategy));
    args.addAll(List.of(extra));
    args.addAll(List.of(TestJars.testJobs(dir).toString(), out.toString()));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.err().contains(" spills of "), "the sides do not fit in memory: " + run.err());

    Map<String, List<Long>> left = new HashMap<>();
    Map<String, List<Long>> right = new HashMap<>();
    for (long v = 0; v < JoinKindsJob.LEFT; v++) {
      left.computeIfAbsent(JoinKindsJob.leftKey(v), k -> new ArrayList<>()).add(v);
    }
    for (long w = 0; w < JoinKindsJob.RIGHT + JoinKindsJob.HOT_RIGHT; w++) {
      right.computeIfAbsent(JoinKindsJob.rightKey(w), k -> new ArrayList<>()).add(w);
    }
    List<String> expected = List.of(
        summary("join", Join.INNER, left, right),
        summary("leftOuterJoin", Join.LEFT_OUTER, left, right),
        summary("rightOuterJoin", Join.RIGHT_OUTER, left, right),
        summary("fullOuterJoin", Join.FULL_OUTER, left, right),
        summary("join, right empty", Join.INNER, left, new HashMap<>()),
        summary("leftOuterJoin, right empty", Join.LEFT_OUTER, left, new HashMap<>()),
        summary("fullOuterJoin, left empty", Join.FULL_OUTER, new HashMap<>(), right));
    assertEquals(expected, WordCountEndToEndTest.outputLines(out));
  }

  /** The job's line for a join, by nested loops over the values of each key (null keys match each other). */
  private static String summary(String name, Join join, Map<String, List<Long>> left, Map<String, List<Long>> right) {
    long count = 0;
    long sum = 0;
    List<String> records = new ArrayList<>();
    for (Map.Entry<String, List<Long>> l : left.entrySet()) {
      List<Long> matches = right.get(l.getKey());
      for (long v : l.getValue()) {
        if (matches != null) {
          for (long w : matches) {
            records.add(Pair.of(l.getKey(), join.both(v, w)).toString());
          }
        } else if (join.keepsLeftOnly()) {
          records.add(Pair.of(l.getKey(), join.leftOnly(v)).toString());
        }
      }
    }
    if (join.keepsRightOnly()) {
      right.forEach((k, ws) -> {
        if (!left.containsKey(k)) {
          ws.forEach(w -> records.add(Pair.of(k, join.rightOnly(w)).toString()));
        }
      });
    }
    for (String r : records) {
      count++;
      sum += r.hashCode();
    }
    return name + "\t" + count + "\t" + sum;
  }
}
