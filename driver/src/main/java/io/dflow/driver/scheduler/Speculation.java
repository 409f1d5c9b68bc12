package io.dflow.driver.scheduler;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * When a running task gets a copy on another executor ({@code dflow.speculation}, off by
 * default as in Spark): once {@code quantile} of its stage's tasks have succeeded, a task that
 * has run longer than {@code multiplier} times their median run time, and at least
 * {@code minRunNanos}, is a straggler; its copy is offered to a free slot of another executor
 * after every pending task, and the first attempt to succeed wins: the other is killed. The
 * output committer lets one attempt of a partition commit, so a copy never duplicates output.
 */
public record Speculation(boolean enabled, double quantile, double multiplier, long minRunNanos) {
  public static final String ENABLED = "dflow.speculation";
  public static final String QUANTILE = "dflow.speculation.quantile";
  public static final String MULTIPLIER = "dflow.speculation.multiplier";
  public static final String MIN_RUNTIME = "dflow.speculation.minTaskRuntimeMs";
  /** How often running tasks are looked at for stragglers, as Spark's {@code spark.speculation.interval}. */
  static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** From settings, with Spark's defaults: quantile 0.75, multiplier 1.5, at least 100 ms. */
  public static Speculation from(Map<String, String> conf) {
    boolean on = Boolean.parseBoolean(conf.getOrDefault(ENABLED, "false").trim());
    double quantile = number(conf, QUANTILE, 0.75, 0, 1);
    double multiplier = number(conf, MULTIPLIER, 1.5, 1, Double.MAX_VALUE);
    double minMillis = number(conf, MIN_RUNTIME, 100, 0, Long.MAX_VALUE / 1_000_000);
    return new Speculation(on, quantile, multiplier, (long) (minMillis * 1_000_000));
  }

  /**
   * How long a task of a set whose successes ran a median of {@code medianNanos} may run before
   * it is a straggler.
   */
  long thresholdNanos(long medianNanos) {
    return Math.max(minRunNanos, (long) (multiplier * medianNanos));
  }

  private static double number(Map<String, String> conf, String key, double fallback, double min, double max) {
    String v = conf.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (d >= min && d <= max && (key.equals(QUANTILE) ? d > 0 : true)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw new IllegalArgumentException("setting " + key + "=" + v + " is not valid: it must be a number "
        + (key.equals(QUANTILE) ? "above 0 and at most 1" : "of at least " + (long) min));
  }
}
