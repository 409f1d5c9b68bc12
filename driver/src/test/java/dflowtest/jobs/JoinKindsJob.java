package dflowtest.jobs;

import io.dflow.api.Dataset;
import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

/**
 * Every join kind of two generated sides (see {@link #leftKey} and {@link #rightKey}: duplicate
 * keys on both sides, keys on one side only, a key {@code hot} with many right values, null
 * keys), plus joins with an empty side; writes one line per join to {@code <out>}:
 * {@code name <TAB> records <TAB> sum of the records' string hashes}.
 */
public final class JoinKindsJob implements DflowJob {
  public static final int LEFT = 120_000;
  public static final int RIGHT = 80_000;
  public static final int HOT_RIGHT = 20_000;

  /** The key of left value {@code v}. */
  public static String leftKey(long v) {
    return v % 1000 == 7 ? null : v % 40_000 == 0 ? "hot" : "k" + v % 4000;
  }

  /** The key of right value {@code w} (those past {@link #RIGHT} are the hot key's). */
  public static String rightKey(long w) {
    return w >= RIGHT ? "hot" : w % 1500 == 9 ? null : "k" + w % 6000;
  }

  @Override
  public void run(JobContext ctx, String[] args) {
    PairDataset<String, Long> left = generated(ctx, LEFT, true);
    PairDataset<String, Long> right = generated(ctx, RIGHT + HOT_RIGHT, false);
    PairDataset<String, Long> none = left.filter(p -> false);
    List<String> lines = new ArrayList<>();
    lines.add(summary("join", left.join(right, 3)));
    lines.add(summary("leftOuterJoin", left.leftOuterJoin(right, 3)));
    lines.add(summary("rightOuterJoin", left.rightOuterJoin(right, 3)));
    lines.add(summary("fullOuterJoin", left.fullOuterJoin(right, 3)));
    lines.add(summary("join, right empty", left.join(none, 3)));
    lines.add(summary("leftOuterJoin, right empty", left.leftOuterJoin(none, 3)));
    lines.add(summary("fullOuterJoin, left empty", none.fullOuterJoin(right, 3)));
    ctx.parallelize(lines, Encoders.strings(), 1).saveAsTextFile(args[0]);
  }

  private static String summary(String name, PairDataset<String, ?> joined) {
    Dataset<Pair<Long, Long>> hashes = joined.map(r -> Pair.of(1L, (long) r.toString().hashCode()),
        Encoders.pairs(Encoders.longs(), Encoders.longs()));
    Pair<Long, Long> countAndSum = hashes.fold(Pair.of(0L, 0L), (a, b) -> Pair.of(a.key() + b.key(), a.value() + b.value()));
    return name + "\t" + countAndSum.key() + "\t" + countAndSum.value();
  }

  private static PairDataset<String, Long> generated(JobContext ctx, long n, boolean leftSide) {
    int seeds = 8;
    return ctx.parallelize(IntStream.range(0, seeds).boxed().toList(), Encoders.ints(), 4)
        .flatMapToPair(seed -> pairs(seed * n / seeds, (seed + 1) * n / seeds, leftSide),
            Encoders.strings(), Encoders.longs());
  }

  private static Iterator<Pair<String, Long>> pairs(long from, long to, boolean leftSide) {
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
        return Pair.of(leftSide ? leftKey(v) : rightKey(v), v);
      }
    };
  }
}
