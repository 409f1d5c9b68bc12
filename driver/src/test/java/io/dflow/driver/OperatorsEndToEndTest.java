package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dflowtest.jobs.OperatorsData;
import dflowtest.jobs.OperatorsJob.Colour;
import io.dflow.api.Optional;
import io.dflow.api.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operator of the dataset API, run by {@code dflowtest.jobs.OperatorsJob} on
 * {@code local[2]} and on {@code local-cluster[2,1]} (two executor JVMs), checked against the
 * same computations done here in plain Java: joins with keys on one side only, a hot key, empty
 * partitions, enum keys, caching, broadcasts, counters with retried tasks, a diamond.
 */
class OperatorsEndToEndTest {
  @TempDir
  Path dir;

  @Test
  void inProcess() throws IOException {
    check("local[2]", 1, "--conf", "dflow.task.maxAttempts=2");
  }

  @Test
  void onTwoExecutorJvms() throws IOException {
    check("local-cluster[2,1]", 2);
  }

  private void check(String master, int executors, String... conf) throws IOException {
    Path out = dir.resolve("out");
    Path markers = Files.createDirectories(dir.resolve("markers"));
    List<String> args = new ArrayList<>(List.of("run", "--master", master, "--class", "dflowtest.jobs.OperatorsJob",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath()));
    args.addAll(List.of(conf));
    args.addAll(List.of(TestJars.testJobs(dir).toString(), out.toString(), markers.toString()));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exit(), run.err());
    Map<String, String> got = new TreeMap<>();
    for (String line : Files.readAllLines(out.resolve("part-00000"))) {
      int tab = line.indexOf('\t');
      got.put(line.substring(0, tab), line.substring(tab + 1));
    }
    Map<String, String> want = expected(executors);
    for (Map.Entry<String, String> e : want.entrySet()) {
      assertEquals(e.getValue(), got.get(e.getKey()), master + ": " + e.getKey());
    }
    int sample = Integer.parseInt(got.get("sample.size"));
    assertTrue(sample > 100 && sample < 200, "a 50% sample of 300 records: " + sample);
    int withReplacement = Integer.parseInt(got.get("sample.withReplacement.size"));
    assertTrue(withReplacement > 450 && withReplacement < 750, "Poisson(2) copies of 300 records: " + withReplacement);
    assertTrue(run.err().contains("counters: "), "counters are printed at the end of a job:\n" + run.err());
  }

  /** What every check must give, computed directly. */
  private static Map<String, String> expected(int executors) {
    List<Pair<String, Integer>> left = OperatorsData.left();
    List<Pair<String, Integer>> right = OperatorsData.right();
    Map<String, List<Integer>> l = group(left);
    Map<String, List<Integer>> r = group(right);
    TreeSet<String> allKeys = new TreeSet<>(l.keySet());
    allKeys.addAll(r.keySet());
    Map<String, String> want = new TreeMap<>();

    List<String> join = new ArrayList<>();
    List<String> leftOuter = new ArrayList<>();
    List<String> rightOuter = new ArrayList<>();
    List<String> fullOuter = new ArrayList<>();
    List<String> cogroup = new ArrayList<>();
    for (String k : allKeys) {
      List<Integer> vs = l.getOrDefault(k, List.of());
      List<Integer> ws = r.getOrDefault(k, List.of());
      for (Optional<Integer> v : optionals(vs)) {
        for (Optional<Integer> w : optionals(ws)) {
          if (v.isPresent() && w.isPresent()) {
            join.add(k + "\t" + v.get() + "\t" + w.get());
          }
          if (v.isPresent()) {
            leftOuter.add(k + "\t" + v.get() + "\t" + w);
          }
          if (w.isPresent()) {
            rightOuter.add(k + "\t" + v + "\t" + w.get());
          }
          fullOuter.add(k + "\t" + v + "\t" + w);
        }
      }
      cogroup.add(k + "\t" + sorted(vs) + "|" + sorted(ws));
    }
    want.put("join", canon(join));
    want.put("leftOuterJoin", canon(leftOuter));
    want.put("rightOuterJoin", canon(rightOuter));
    want.put("fullOuterJoin", canon(fullOuter));
    want.put("cogroup", canon(cogroup));
    want.put("aggregateByKey", perKey(l, (k, vs) -> sorted(vs)));
    want.put("foldByKey.sum", perKey(l, (k, vs) -> String.valueOf(sum(vs))));
    want.put("foldByKey.max", perKey(l, (k, vs) -> String.valueOf(vs.stream().mapToInt(Integer::intValue).max().orElseThrow())));
    want.put("combineByKey", perKey(l, (k, vs) -> String.valueOf((long) sum(vs))));
    want.put("reduceByKey.twice", perKey(l, (k, vs) -> String.valueOf(sum(vs))));
    Map<String, Long> counts = new TreeMap<>();
    l.forEach((k, vs) -> counts.put(k, (long) vs.size()));
    want.put("countByKey", counts.toString());
    want.put("keys.distinct", canon(l.keySet()));
    int leftSum = sum(left.stream().map(Pair::value).toList());
    want.put("values.reduce", String.valueOf(leftSum));
    List<String> flat = new ArrayList<>();
    left.forEach(p -> {
      flat.add(p.key() + "\t" + p.value());
      flat.add(p.key() + "\t" + -p.value());
    });
    want.put("flatMapValues", canon(flat));
    List<Pair<String, Integer>> union = new ArrayList<>(left);
    union.addAll(right);
    want.put("union", canon(union));
    want.put("distinct", canon(new TreeSet<>(union.stream().map(String::valueOf).toList())));
    want.put("repartition", "3 partitions, 300 records, within 6: true");
    want.put("repartition.records", canon(left));
    want.put("coalesce", "4 partitions, 300 records, within 50: true");
    want.put("coalesce.records", canon(left));
    io.dflow.api.HashPartitioner byThree = new io.dflow.api.HashPartitioner(3);
    int[] perPartition = new int[3];
    left.forEach(p -> perPartition[byThree.partition(p.key())]++);
    want.put("repartitionAndSortWithinPartitions",
        "0:" + perPartition[0] + ":true 1:" + perPartition[1] + ":true 2:" + perPartition[2] + ":true");
    want.put("sample.repeatable", "true");
    want.put("sample.subset", "true");
    want.put("take", left.subList(0, 7).toString());
    want.put("first", left.get(0).toString());
    want.put("take.all", left.toString());
    want.put("fold", String.valueOf(leftSum));
    Map<String, Long> keyCounts = new TreeMap<>();
    right.forEach(p -> keyCounts.merge(p.key(), 1L, Long::sum));
    want.put("countByValue", keyCounts.toString());
    want.put("foreach", String.valueOf(sum(right.stream().map(Pair::value).toList())));

    Map<Colour, Long> colours = new TreeMap<>();
    for (long n : OperatorsData.numbers()) {
      colours.merge(Colour.values()[(int) (n % 8)], n, Long::sum);
    }
    want.put("enum.reduceByKey", canon(colours.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).toList()));

    want.put("cache.firstJobComputed", "300");
    want.put("cache.secondJobComputed", "0");
    want.put("cache.results", "300 " + 2 * leftSum);
    want.put("cache.afterUnpersistComputed", "300");

    long weighted = 0;
    for (long n : OperatorsData.numbers()) {
      weighted += n % 3 == 1 ? 10 : n % 3 == 2 ? 20 : 0;
    }
    want.put("broadcast.result", String.valueOf(weighted));
    want.put("broadcast.loads", String.valueOf(executors));

    want.put("retries.count", "1000");
    want.put("retries.records", "1000");

    want.put("diamond", perKey(l, (k, vs) -> sum(vs) + "\t" + vs.stream().mapToInt(Integer::intValue).max().orElseThrow()));
    want.put("diamond.reads", "300");
    return want;
  }

  private static Map<String, List<Integer>> group(List<Pair<String, Integer>> pairs) {
    Map<String, List<Integer>> out = new TreeMap<>();
    for (Pair<String, Integer> p : pairs) {
      out.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p.value());
    }
    return out;
  }

  private static List<Optional<Integer>> optionals(List<Integer> values) {
    return values.isEmpty() ? List.of(Optional.empty()) : values.stream().map(Optional::of).toList();
  }

  private static String perKey(Map<String, List<Integer>> groups, BiFunction<String, List<Integer>, String> value) {
    return canon(groups.entrySet().stream().map(e -> e.getKey() + "\t" + value.apply(e.getKey(), e.getValue())).toList());
  }

  private static int sum(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).sum();
  }

  private static String sorted(List<Integer> values) {
    List<Integer> copy = new ArrayList<>(values);
    copy.sort(null);
    return copy.toString();
  }

  private static String canon(Collection<?> items) {
    return items.stream().map(String::valueOf).sorted().collect(Collectors.joining(";"));
  }
}
