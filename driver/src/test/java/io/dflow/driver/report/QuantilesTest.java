package io.dflow.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Quantiles against their definition: the smallest value with at least that share of the set at or below it. */
class QuantilesTest {
  @Test
  void eachQuantileIsTheSmallestValueWithThatShareAtOrBelowIt() {
    Random random = new Random(12);
    for (int n = 1; n <= 60; n++) {
      List<Long> values = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        values.add((long) random.nextInt(n < 20 ? 5 : 1000)); // small ranges make ties
      }
      Quantiles q = Quantiles.of(values);
      assertEquals(values.stream().mapToLong(Long::longValue).min().getAsLong(), q.min());
      assertEquals(values.stream().mapToLong(Long::longValue).max().getAsLong(), q.max());
      assertEquals(byDefinition(values, 0.25), q.p25(), "25% of " + values);
      assertEquals(byDefinition(values, 0.5), q.median(), "median of " + values);
      assertEquals(byDefinition(values, 0.75), q.p75(), "75% of " + values);
    }
  }

  @Test
  void knownSetsAndNone() {
    assertEquals(new Quantiles(1, 2, 3, 4, 5), Quantiles.of(List.of(5L, 4L, 3L, 2L, 1L)));
    assertEquals(new Quantiles(7, 7, 7, 7, 7), Quantiles.of(List.of(7L)));
    assertEquals(new Quantiles(1, 1, 2, 3, 4), Quantiles.of(List.of(1L, 2L, 3L, 4L)));
    assertNull(Quantiles.of(List.of()));
  }

  private static long byDefinition(List<Long> values, double share) {
    long best = Long.MAX_VALUE;
    for (long v : values) {
      long atOrBelow = values.stream().filter(x -> x <= v).count();
      if (atOrBelow >= share * values.size() && v < best) {
        best = v;
      }
    }
    return best;
  }
}
