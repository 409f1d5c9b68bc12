package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * {@code groupByKey} with one key far larger than memory: values {@code 0 .. n-1}, each under
 * {@code "big"} except every eighth, which goes to one of 1000 small keys. Writes under
 * {@code <out>}: {@code groups} (per key: count, sum, and for the big key what a second iteration
 * said), {@code keys} (the keys of a grouping whose values nobody reads) and {@code sparse}
 * (a grouping of two keys into six partitions, four of them empty).
 */
public final class BigGroupJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    String out = args[0];
    long n = Long.parseLong(args[1]);
    int seeds = 16;
    PairDataset<String, Long> pairs = ctx.parallelize(IntStream.range(0, seeds).boxed().toList(), Encoders.ints(), 4)
        .flatMapToPair(seed -> values(seed * n / seeds, (seed + 1) * n / seeds), Encoders.strings(), Encoders.longs());

    pairs.groupByKey(3)
        .mapValues(values -> {
          long count = 0;
          long sum = 0;
          for (long v : values) {
            count++;
            sum += v;
          }
          String second;
          try {
            values.iterator().hasNext();
            second = "again";
          } catch (IllegalStateException e) {
            second = "refused";
          }
          return count + "\t" + sum + "\t" + second;
        }, Encoders.strings())
        .saveAsTextFile(out + "/groups");

    List<String> keys = new ArrayList<>(new TreeSet<>(pairs.groupByKey(3).keys().collect()));
    ctx.parallelize(keys, Encoders.strings(), 1).saveAsTextFile(out + "/keys");

    ctx.parallelize(List.of(Pair.of(1L, 10L), Pair.of(1L, 11L), Pair.of(2L, 20L)), Encoders.pairs(Encoders.longs(),
            Encoders.longs()), 2)
        .mapToPair(p -> p, Encoders.longs(), Encoders.longs())
        .groupByKey(6)
        .mapValues(values -> {
          long sum = 0;
          for (long v : values) {
            sum += v;
          }
          return sum;
        }, Encoders.longs())
        .saveAsTextFile(out + "/sparse");
  }

  /** The pairs of values {@code from .. to-1}, made as they are read. */
  private static Iterator<Pair<String, Long>> values(long from, long to) {
    return new Iterator<>() {
      private long next = from;

      @Override
      public boolean hasNext() {
        return next < to;
      }

      @Override
      public Pair<String, Long> next() {
        if (next >= to) {
          throw new NoSuchElementException();
        }
        long v = next++;
        return Pair.of(v % 8 == 0 ? "small-" + (v / 8 % 1000) : "big", v);
      }
    };
  }
}
