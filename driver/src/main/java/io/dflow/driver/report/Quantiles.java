package io.dflow.driver.report;

import java.util.Collection;
import java.util.List;

/**
 * The five-number summary of a set of durations: min, 25%, median, 75%, max, each a value of the
 * set (nearest rank: the smallest value with at least that share of the set at or below it).
 */
public record Quantiles(long min, long p25, long median, long p75, long max) {
  /** The summary of {@code values}, or null when there are none. */
  public static Quantiles of(Collection<Long> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = values.stream().sorted().toList();
    return new Quantiles(sorted.get(0), rank(sorted, 25), rank(sorted, 50), rank(sorted, 75),
        sorted.get(sorted.size() - 1));
  }

  /** The value at {@code percent}% by nearest rank: the ceil(p * n)-th smallest. */
  private static long rank(List<Long> sorted, int percent) {
    int n = sorted.size();
    int rank = (int) ((percent * (long) n + 99) / 100); // ceil(percent * n / 100), at least 1 for n >= 1
    return sorted.get(Math.max(rank, 1) - 1);
  }
}
