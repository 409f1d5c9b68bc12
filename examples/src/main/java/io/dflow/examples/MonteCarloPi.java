package io.dflow.examples;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.mpi.Op;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Estimates π: {@code MonteCarloPi [ranks] [darts per rank] [seed]} — every rank throws darts
 * at the unit square ({@link #hits}), one {@code allReduce} adds the hits and the throws, and
 * rank 0 returns 4 × hits / throws.
 */
public final class MonteCarloPi implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    int ranks = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    long darts = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 7;
    long[] counts = counts(ctx, ranks, darts, seed);
    System.out.println("pi is about " + 4.0 * counts[0] / counts[1] + " (" + counts[0] + " of " + counts[1]
        + " darts inside the circle, " + ranks + " ranks)");
  }

  /** The hits inside the quarter circle and the darts thrown, over every rank. */
  public static long[] counts(JobContext ctx, int ranks, long dartsPerRank, long seed) {
    List<Integer> each = IntStream.range(0, ranks).boxed().toList();
    List<long[]> totals = ctx.parallelize(each, Encoders.ints(), ranks)
        .mpi(ranks, (comm, ignored) -> {
          long[] counts = {hits(seed + comm.rank(), dartsPerRank), dartsPerRank};
          comm.allReduce(counts, Op.SUM);
          return comm.rank() == 0 ? List.of(counts).iterator() : java.util.Collections.emptyIterator();
        }, Encoders.java(long[].class))
        .collect();
    return totals.get(0);
  }

  /** How many of {@code darts} points from {@code new Random(seed)} fall inside the unit quarter circle. */
  public static long hits(long seed, long darts) {
    Random random = new Random(seed);
    long hits = 0;
    for (long i = 0; i < darts; i++) {
      double x = random.nextDouble();
      double y = random.nextDouble();
      if (x * x + y * y <= 1) {
        hits++;
      }
    }
    return hits;
  }
}
