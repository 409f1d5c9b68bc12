package io.dflow.examples;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.mpi.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The parallel sum of a distributed array: {@code MpiPsum [ranks] [numbers] [seed]} spreads
 * {@code numbers} random doubles ({@link #numbers}) over {@code ranks} MPI ranks; each rank sums
 * its slice, one {@code allReduce} adds the sums, and every rank returns the same total, which
 * is printed beside the serial sum of the same numbers.
 */
public final class MpiPsum implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    int ranks = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
    List<Double> numbers = numbers(n, seed);
    for (Pair<Integer, double[]> r : sums(ctx, numbers, ranks)) {
      System.out.println("rank " + r.key() + ": its slice sums to " + r.value()[0] + ", the total is " + r.value()[1]);
    }
    System.out.println("serial sum: " + numbers.stream().mapToDouble(Double::doubleValue).sum());
  }

  /** Per rank: its number, then its slice's sum and the total it got from {@code allReduce}. */
  public static List<Pair<Integer, double[]>> sums(JobContext ctx, List<Double> numbers, int ranks) {
    return ctx.parallelize(numbers, Encoders.doubles(), ranks)
        .mpi(ranks, (comm, slice) -> {
          double local = 0;
          while (slice.hasNext()) {
            local += slice.next();
          }
          double[] total = {local};
          comm.allReduce(total, Op.SUM);
          return List.of(Pair.of(comm.rank(), new double[] {local, total[0]})).iterator();
        }, Encoders.pairs(Encoders.ints(), Encoders.java(double[].class)))
        .collect();
  }

  /** {@code n} doubles in [0, 1) from {@code new Random(seed)}. */
  public static List<Double> numbers(int n, long seed) {
    Random random = new Random(seed);
    List<Double> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(random.nextDouble());
    }
    return out;
  }
}
