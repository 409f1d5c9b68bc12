package io.dflow.testkit;

import io.dflow.api.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assertions on what a dataset holds, computed by running it (as Beam's {@code PAssert}): each
 * collects the dataset and, on a mismatch, throws an {@link AssertionError} that lists the
 * records missing and those not expected, with how often each occurs.
 */
public final class DatasetAssert {
  /** At most this many records of a difference are listed. */
  static final int SHOWN = 20;

  private DatasetAssert() {}

  /** The dataset holds exactly {@code expected}, in any order, each as often as there. */
  @SafeVarargs
  public static <T> void assertContainsExactlyInAnyOrder(Dataset<T> dataset, T... expected) {
    assertContainsExactlyInAnyOrder(dataset, Arrays.asList(expected));
  }

  /** The dataset holds exactly {@code expected}, in any order, each as often as there. */
  public static <T> void assertContainsExactlyInAnyOrder(Dataset<T> dataset, Collection<? extends T> expected) {
    List<T> actual = dataset.collect();
    Map<Object, Integer> surplus = new HashMap<>();
    for (T record : actual) {
      surplus.merge(record, 1, Integer::sum);
    }
    for (T record : expected) {
      surplus.merge(record, -1, Integer::sum);
    }
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    for (Map.Entry<Object, Integer> e : surplus.entrySet()) {
      if (e.getValue() < 0) {
        missing.add(e.getKey() + (e.getValue() < -1 ? " (x" + -e.getValue() + ")" : ""));
      } else if (e.getValue() > 0) {
        unexpected.add(e.getKey() + (e.getValue() > 1 ? " (x" + e.getValue() + ")" : ""));
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      throw new AssertionError("the dataset holds " + actual.size() + " records, " + expected.size()
          + " expected; missing: " + shown(missing) + "; not expected: " + shown(unexpected));
    }
  }

  /** The dataset holds {@code expected} records. */
  public static void assertCount(Dataset<?> dataset, long expected) {
    long actual = dataset.count();
    if (actual != expected) {
      throw new AssertionError("the dataset holds " + actual + " records, " + expected + " expected");
    }
  }

  private static String shown(List<String> records) {
    if (records.isEmpty()) {
      return "none";
    }
    List<String> sorted = records.stream().sorted().toList();
    return sorted.size() <= SHOWN ? sorted.toString()
        : sorted.subList(0, SHOWN) + " and " + (sorted.size() - SHOWN) + " more";
  }
}
