package io.dflow.examples;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.LongStream;

/**
 * Many tiny pieces of work: {@code TinyTasks [n] [runs]} prints the exact sum of {@code x^10}
 * for {@code x} in {@code [0, n)} (default 3000). Each partition returns one partial sum, so only
 * a few numbers come back to the driver; the benchmark compares it with a serial loop to show
 * what scheduling costs. With {@code runs > 1} the same job runs again in the same session and
 * each run's time goes to stderr: the first run pays for a cold JVM, the later ones show the
 * cost of a job itself.
 */
public final class TinyTasks implements DflowJob {
  static final long DEFAULT_N = 3000;

  @Override
  public void run(JobContext ctx, String[] args) {
    repeat("TinyTasks", args, xs -> ctx.parallelize(xs, Encoders.longs())
        .mapPartitions(TinyTasks::partialSum, Encoders.java(BigInteger.class))
        .collect()
        .stream().reduce(BigInteger.ZERO, BigInteger::add));
  }

  /**
   * Parses {@code [n] [runs]}, runs {@code job} over {@code [0, n)} that many times (checking the
   * runs agree, each run's time on stderr when there are several) and prints the sum: the
   * frame of {@code TinyTasks} and {@code NaiveTinyTasks}.
   */
  static void repeat(String name, String[] args, Function<List<Long>, BigInteger> job) {
    if (args.length > 2) {
      throw new IllegalArgumentException("usage: " + name + " [n] [runs]");
    }
    long n = args.length >= 1 ? Long.parseLong(args[0]) : DEFAULT_N;
    int runs = args.length == 2 ? Integer.parseInt(args[1]) : 1;
    if (n < 0 || runs < 1) {
      throw new IllegalArgumentException("n must not be negative and runs must be positive, got " + n + ", " + runs);
    }
    List<Long> xs = LongStream.range(0, n).boxed().toList();
    BigInteger sum = null;
    for (int run = 1; run <= runs; run++) {
      long start = System.nanoTime();
      BigInteger result = job.apply(xs);
      if (sum != null && !sum.equals(result)) {
        throw new IllegalStateException("run " + run + " gave " + result + ", run 1 gave " + sum);
      }
      sum = result;
      if (runs > 1) {
        System.err.printf(Locale.ROOT, "%s run %d: %.1f ms%n", name, run, (System.nanoTime() - start) / 1e6);
      }
    }
    System.out.println(TenthPowers.report(n, sum));
  }

  private static Iterator<BigInteger> partialSum(Iterator<Long> xs) {
    return List.of(TenthPowers.sum(xs)).iterator();
  }
}
