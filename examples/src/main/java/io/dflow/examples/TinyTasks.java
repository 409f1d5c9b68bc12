package io.dflow.examples;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Many tiny pieces of work: {@code TinyTasks [n]} prints the exact sum of {@code x^10} for
 * {@code x} in {@code [0, n)} (default 3000). Each partition returns one partial sum, so only a
 * few numbers come back to the driver; the benchmark compares it with a serial loop to show
 * what scheduling costs.
 */
public final class TinyTasks implements DflowJob {
  static final long DEFAULT_N = 3000;

  @Override
  public void run(JobContext ctx, String[] args) {
    if (args.length > 1) {
      throw new IllegalArgumentException("usage: TinyTasks [n]");
    }
    long n = args.length == 1 ? Long.parseLong(args[0]) : DEFAULT_N;
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative, got " + n);
    }
    List<Long> xs = LongStream.range(0, n).boxed().toList();
    List<BigInteger> partials = ctx.parallelize(xs, Encoders.longs())
        .mapPartitions(TinyTasks::partialSum, Encoders.java(BigInteger.class))
        .collect();
    BigInteger sum = partials.stream().reduce(BigInteger.ZERO, BigInteger::add);
    System.out.println(TenthPowers.report(n, sum));
  }

  private static Iterator<BigInteger> partialSum(Iterator<Long> xs) {
    return List.of(TenthPowers.sum(xs)).iterator();
  }
}
