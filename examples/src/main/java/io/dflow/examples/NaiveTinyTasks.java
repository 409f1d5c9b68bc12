package io.dflow.examples;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

/**
 * The tiny-tasks program written the naive way, with no hand-made chunks:
 * {@code NaiveTinyTasks [n] [runs]} maps every {@code x} in {@code [0, n)} (default 3000) to
 * {@code x^10}, collects all of them and sums them on the driver. dflow still cuts the
 * collection into a few tasks per slot, so the many one-element tasks of a task farm never
 * exist. With {@code runs > 1} it runs again in the same session, each run's time on stderr.
 */
public final class NaiveTinyTasks implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    if (args.length > 2) {
      throw new IllegalArgumentException("usage: NaiveTinyTasks [n] [runs]");
    }
    long n = args.length >= 1 ? Long.parseLong(args[0]) : TinyTasks.DEFAULT_N;
    int runs = args.length == 2 ? Integer.parseInt(args[1]) : 1;
    if (n < 0 || runs < 1) {
      throw new IllegalArgumentException("n must not be negative and runs must be positive, got " + n + ", " + runs);
    }
    List<Long> xs = LongStream.range(0, n).boxed().toList();
    BigInteger sum = null;
    for (int run = 1; run <= runs; run++) {
      long start = System.nanoTime();
      BigInteger result = ctx.parallelize(xs, Encoders.longs())
          .map(TenthPowers::of, Encoders.java(BigInteger.class))
          .collect()
          .stream().reduce(BigInteger.ZERO, BigInteger::add);
      if (sum != null && !sum.equals(result)) {
        throw new IllegalStateException("run " + run + " gave " + result + ", run 1 gave " + sum);
      }
      sum = result;
      if (runs > 1) {
        System.err.printf(Locale.ROOT, "NaiveTinyTasks run %d: %.1f ms%n", run, (System.nanoTime() - start) / 1e6);
      }
    }
    System.out.println(TenthPowers.report(n, sum));
  }
}
