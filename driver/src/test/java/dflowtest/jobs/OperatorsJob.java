package dflowtest.jobs;

import io.dflow.api.Broadcast;
import io.dflow.api.Dataset;
import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.JobContext;
import io.dflow.api.LongCounter;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import io.dflow.api.StorageLevel;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Runs every operator of the dataset API over {@link OperatorsData} and writes one line per
 * check to {@code <out>}: {@code name<TAB>canonical text of the result}. {@code <markers>} is a
 * folder where a task leaves a file the first time it runs, to fail that first attempt only.
 */
public final class OperatorsJob implements DflowJob {
  /** Keys whose hashCode is an identity hash: they must still meet in one partition. */
  public enum Colour { RED, ORANGE, YELLOW, GREEN, BLUE, INDIGO, VIOLET, BLACK }

  /** A broadcast value that counts, through a counter it carries, how often it is deserialised. */
  public static final class Lookup implements Serializable {
    final Map<String, Integer> weights;
    final LongCounter loads;

    Lookup(Map<String, Integer> weights, LongCounter loads) {
      this.weights = weights;
      this.loads = loads;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      loads.add(1);
    }
  }

  @Override
  public void run(JobContext ctx, String[] args) {
    String markers = args[1];
    Map<String, String> results = new TreeMap<>();
    PairDataset<String, Integer> left = ctx.parallelize(OperatorsData.left(), Encoders.pairs(Encoders.strings(),
        Encoders.ints()), 6).mapToPair(p -> p, Encoders.strings(), Encoders.ints());
    // more slices than records: some partitions are empty
    PairDataset<String, Integer> right = ctx.parallelize(OperatorsData.right(), Encoders.pairs(Encoders.strings(),
        Encoders.ints()), 50).mapToPair(p -> p, Encoders.strings(), Encoders.ints());

    results.put("join", canon(left.join(right, 3).collect()));
    results.put("leftOuterJoin", canon(left.leftOuterJoin(right).collect()));
    results.put("rightOuterJoin", canon(left.rightOuterJoin(right, 4).collect()));
    results.put("fullOuterJoin", canon(left.fullOuterJoin(right).collect()));
    results.put("cogroup", canon(left.cogroup(right)
        .mapValues(p -> sorted(p.key()) + "|" + sorted(p.value()), Encoders.strings()).collect()));
    results.put("aggregateByKey", canon(left.aggregateByKey(new ArrayList<Integer>(), (acc, v) -> {
      acc.add(v);
      return acc;
    }, (a, b) -> {
      a.addAll(b);
      return a;
    }, Encoders.javaUnchecked(ArrayList.class), 3).mapValues(l -> sorted(l), Encoders.strings()).collect()));
    results.put("foldByKey.sum", canon(left.foldByKey(0, Integer::sum).collect()));
    results.put("foldByKey.max", canon(left.foldByKey(Integer.MIN_VALUE, Math::max, 2).collect()));
    results.put("combineByKey", canon(left.combineByKey(v -> (long) v, (c, v) -> c + v, Long::sum,
        Encoders.longs(), 2).collect()));
    results.put("reduceByKey.twice", canon(left.reduceByKey(Integer::sum, 4).reduceByKey(Integer::max).collect()));
    results.put("countByKey", new TreeMap<>(left.countByKey()).toString());
    results.put("keys.distinct", canon(left.keys().distinct().collect()));
    results.put("values.reduce", String.valueOf(left.values().reduce(Integer::sum)));
    results.put("flatMapValues", canon(left.flatMapValues(v -> List.of(v, -v).iterator(), Encoders.ints()).collect()));
    Dataset<Pair<String, Integer>> both = left.union(right);
    results.put("union", canon(both.collect()));
    results.put("distinct", canon(both.distinct(5).collect()));
    results.put("repartition", partitionsAndRecords(left.repartition(3), 6));
    results.put("repartition.records", canon(left.repartition(3).collect()));
    results.put("coalesce", partitionsAndRecords(left.coalesce(4), 50));
    results.put("coalesce.records", canon(left.coalesce(4).collect()));
    HashPartitioner byThree = new HashPartitioner(3);
    results.put("repartitionAndSortWithinPartitions", String.join(" ", left.repartitionAndSortWithinPartitions(byThree)
        .mapPartitionsWithIndex((index, it) -> {
          List<String> keys = new ArrayList<>();
          boolean placed = true;
          while (it.hasNext()) {
            String key = it.next().key();
            keys.add(key);
            placed &= byThree.partition(key) == index;
          }
          List<String> sorted = new ArrayList<>(keys);
          sorted.sort(null);
          return List.of(index + ":" + keys.size() + ":" + (keys.equals(sorted) && placed)).iterator();
        }, Encoders.strings()).collect()));
    List<Pair<String, Integer>> sample = left.sample(false, 0.5, 7).collect();
    results.put("sample.repeatable", String.valueOf(sample.equals(left.sample(false, 0.5, 7).collect())));
    results.put("sample.subset", String.valueOf(OperatorsData.left().containsAll(sample)));
    results.put("sample.size", String.valueOf(sample.size()));
    results.put("sample.withReplacement.size", String.valueOf(left.sample(true, 2.0, 3).count()));
    results.put("take", left.take(7).toString());
    results.put("first", String.valueOf(left.first()));
    results.put("take.all", left.take(10_000).toString());
    results.put("fold", String.valueOf(left.values().fold(0, Integer::sum)));
    results.put("countByValue", new TreeMap<>(right.keys().countByValue()).toString());
    LongCounter seen = ctx.counter("foreach.seen");
    right.foreach(p -> seen.add(p.value()));
    results.put("foreach", String.valueOf(seen.value()));

    // enum keys from several executor JVMs
    PairDataset<Colour, Long> colours = ctx.parallelize(OperatorsData.numbers(), Encoders.longs(), 8)
        .mapToPair(n -> Pair.of(Colour.values()[(int) (n % 8)], n), Encoders.java(Colour.class), Encoders.longs());
    results.put("enum.reduceByKey", canon(colours.reduceByKey(Long::sum, 3).collect()));

    // a persisted dataset is computed once: a second job reads it back
    LongCounter computed = ctx.counter("cache.computed");
    PairDataset<String, Integer> cached = left.mapValues(v -> {
      computed.add(1);
      return v * 2;
    }, Encoders.ints()).persist(StorageLevel.MEMORY_AND_DISK);
    long firstCount = cached.count();
    long afterFirst = computed.value();
    int sum = cached.values().reduce(Integer::sum);
    results.put("cache.firstJobComputed", String.valueOf(afterFirst));
    results.put("cache.secondJobComputed", String.valueOf(computed.value() - afterFirst));
    results.put("cache.results", firstCount + " " + sum);
    cached.unpersist();
    cached.count();
    results.put("cache.afterUnpersistComputed", String.valueOf(computed.value() - afterFirst));

    // a broadcast value reaches each executor once, however many tasks use it
    LongCounter loads = ctx.counter("broadcast.loads");
    Broadcast<Lookup> lookup = ctx.broadcast(new Lookup(Map.of("k1", 10, "k2", 20), loads));
    long weighted = ctx.parallelize(OperatorsData.numbers(), Encoders.longs(), 20)
        .map(n -> (long) lookup.value().weights.getOrDefault("k" + (n % 3), 0), Encoders.longs())
        .reduce(Long::sum);
    results.put("broadcast.result", String.valueOf(weighted));
    results.put("broadcast.loads", String.valueOf(loads.value()));
    lookup.destroy();

    // counters count each task's successful attempt once, though every first attempt fails
    LongCounter records = ctx.counter("retries.records");
    long total = ctx.parallelize(OperatorsData.numbers(), Encoders.longs(), 4)
        .mapPartitionsWithIndex((index, it) -> {
          List<Long> out = new ArrayList<>();
          it.forEachRemaining(n -> {
            records.add(1);
            out.add(n);
          });
          failFirstAttempt(markers, "retry-" + index);
          return out.iterator();
        }, Encoders.longs())
        .count();
    results.put("retries.count", String.valueOf(total));
    results.put("retries.records", String.valueOf(records.value()));

    // a diamond reads its source once
    LongCounter reads = ctx.counter("diamond.reads");
    PairDataset<String, Integer> source = left.mapValues(v -> {
      reads.add(1);
      return v;
    }, Encoders.ints());
    results.put("diamond", canon(source.reduceByKey(Integer::sum).join(source.reduceByKey(Integer::max)).collect()));
    results.put("diamond.reads", String.valueOf(reads.value()));

    List<String> lines = results.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).toList();
    ctx.parallelize(lines, Encoders.strings(), 1).saveAsTextFile(args[0]);
  }

  private static void failFirstAttempt(String markers, String name) {
    try {
      Files.createFile(Path.of(markers, name));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("first attempt of " + name + " fails on purpose");
  }

  /**
   * The partition count, the record count and whether the partitions' sizes differ by at most
   * {@code spread}, as text.
   */
  private static String partitionsAndRecords(Dataset<Pair<String, Integer>> data, int spread) {
    List<Integer> sizes = data.mapPartitionsWithIndex((index, it) -> {
      int n = 0;
      for (; it.hasNext(); it.next()) {
        n++;
      }
      return List.of(n).iterator();
    }, Encoders.ints()).collect();
    int total = sizes.stream().mapToInt(Integer::intValue).sum();
    boolean even = java.util.Collections.max(sizes) - java.util.Collections.min(sizes) <= spread;
    return sizes.size() + " partitions, " + total + " records, within " + spread + ": " + even;
  }

  /** A list's elements as sorted text, so order never matters. */
  static String canon(Collection<?> items) {
    return items.stream().map(String::valueOf).sorted().collect(Collectors.joining(";"));
  }

  private static String sorted(List<Integer> values) {
    List<Integer> copy = new ArrayList<>(values);
    copy.sort(null);
    return copy.toString();
  }
}
