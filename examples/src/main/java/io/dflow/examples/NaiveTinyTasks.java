package io.dflow.examples;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.math.BigInteger;

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
    TinyTasks.repeat("NaiveTinyTasks", args, xs -> ctx.parallelize(xs, Encoders.longs())
        .map(TenthPowers::of, Encoders.java(BigInteger.class))
        .collect()
        .stream().reduce(BigInteger.ZERO, BigInteger::add));
  }
}
