package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.UserCodeException;
import io.dflow.api.function.ReduceFunction;
import io.dflow.api.plan.Aggregator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link Combiner} for each value layout it keeps (unboxed long, int and double values; boxed
 * values for everything else), on both sides of a shuffle (values merged map side, aggregates of
 * several map tasks merged reduce side), checked against a plain fold computed in the test, and
 * its refusals of null and mistyped values.
 */
class CombinerTest {
  private final Random random = new Random(7);

  @Test
  void longsIntsDoublesAndStringsMergeLikeAPlainFold() {
    check(Encoders.longs(), i -> random.nextLong() >> 8, Long::sum);
    check(Encoders.ints(), i -> random.nextInt(1000) - 500, (a, b) -> a * 31 + b);
    // Not associative in floating point: the same order of arrival must give the same bits.
    check(Encoders.doubles(), i -> random.nextDouble() - 0.5, (a, b) -> a * 0.75 + b);
    check(Encoders.strings(), i -> Integer.toString(i % 10), (a, b) -> a.length() < 20 ? a + b : b);
  }

  /** Long and int keys go to the primitive table: every key, the two without a slot (null, the empty mark) among them. */
  @Test
  void numberKeysOfEveryKindMergeLikeAPlainFoldAcrossGrowth() {
    ReduceFunction<Object> sum = (a, b) -> (Long) a + (Long) b;
    for (Encoder<?> keys : List.of(Encoders.longs(), Encoders.ints())) {
      boolean longs = keys.equals(Encoders.longs());
      Map<Object, Long> expected = new HashMap<>();
      Combiner reduceSide = Combiner.of(keys, Encoders.longs(), Aggregator.reducing(sum), 4);
      for (int map = 0; map < 3; map++) {
        Combiner mapSide = Combiner.of(keys, Encoders.longs(), Aggregator.reducing(sum), 4); // grows many times
        for (int i = 0; i < 30_000; i++) {
          int pick = random.nextInt(20_000);
          Object key = pick == 0 ? null : pick == 1 ? (longs ? (Object) Long.MIN_VALUE : (Object) Integer.MIN_VALUE)
              : pick == 2 ? (longs ? (Object) 0L : (Object) 0) : longs ? (Object) (random.nextLong() % 5000 * 1_000_003L)
              : (Object) (random.nextInt(5000) - 2500);
          long value = random.nextInt(1000);
          mapSide.addValue(key, value);
          expected.merge(key, value, Long::sum);
        }
        mapSide.forEach(reduceSide::addAggregate);
      }
      assertEquals(expected, contents(reduceSide), keys.describe());
      assertEquals(expected.size(), reduceSide.size());
    }
    Combiner table = Combiner.of(Encoders.longs(), Encoders.longs(), Aggregator.reducing(sum), 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.addValue("k", 1L));
    assertEquals("a key of type java.lang.String where the encoder says long", e.getMessage());
  }

  /**
   * Other keys with unboxed values go to the open-addressed table: keys whose hash codes collide
   * ("Aa" and "BB" hash alike, so do all their concatenations), null, and growth from 16 slots,
   * on both sides of a shuffle and read out slot by slot, against a map's fold.
   */
  @Test
  void objectKeysWithCollidingHashesAndNullMergeLikeAPlainFoldAcrossGrowth() {
    List<String> colliding = new ArrayList<>(List.of(""));
    for (int round = 0; round < 6; round++) {
      List<String> longer = new ArrayList<>();
      for (String k : colliding) {
        longer.add(k + "Aa");
        longer.add(k + "BB");
      }
      colliding = longer; // 64 keys of one hash code
    }
    assertEquals(1, colliding.stream().map(String::hashCode).distinct().count());
    Map<Object, Long> expected = new HashMap<>();
    Combiner reduceSide = Combiner.of(Encoders.strings(), Encoders.longs(), Aggregator.reducing(sum()), 4);
    for (int map = 0; map < 3; map++) {
      Combiner mapSide = Combiner.of(Encoders.strings(), Encoders.longs(), Aggregator.reducing(sum()), 4);
      for (int i = 0; i < 30_000; i++) {
        int pick = random.nextInt(100);
        String key = pick == 0 ? null : pick < 30 ? colliding.get(random.nextInt(colliding.size()))
            : "w" + random.nextInt(5000);
        long value = random.nextInt(1000);
        mapSide.addValue(key, value);
        expected.merge(key, value, Long::sum);
      }
      for (int slot = 0; slot < mapSide.slots(); slot++) {
        if (mapSide.occupied(slot)) {
          reduceSide.addAggregate(mapSide.keyAt(slot), mapSide.aggregateAt(slot));
        }
      }
    }
    assertTrue(expected.containsKey(null));
    assertEquals(expected, contents(reduceSide));
    assertEquals(expected.size(), reduceSide.size());
  }

  @Test
  void aggregatesOfSeveralMapTasksMergeToTheWholeFold() {
    ReduceFunction<Object> sum = (a, b) -> (Long) a + (Long) b;
    Map<Object, Long> expected = new HashMap<>();
    Combiner reduceSide = Combiner.of(Encoders.strings(), Encoders.longs(), Aggregator.reducing(sum), 8);
    for (int map = 0; map < 4; map++) {
      Combiner mapSide = Combiner.of(Encoders.strings(), Encoders.longs(), Aggregator.reducing(sum), 8);
      for (int i = 0; i < 2_000; i++) {
        String key = "key" + random.nextInt(300);
        long value = random.nextInt(1_000_000);
        mapSide.addValue(key, value);
        expected.merge(key, value, Long::sum);
      }
      mapSide.forEach(reduceSide::addAggregate);
    }
    assertEquals(expected, contents(reduceSide));
  }

  @Test
  void anAggregateOfAnotherTypeThanItsValuesIsCreatedMergedAndCombined() {
    // combineByKey-style: the distinct values of a key, as a sorted list (boxed layout)
    Aggregator distinct = new Aggregator(
        v -> new ArrayList<>(List.of(v)),
        (agg, v) -> {
          @SuppressWarnings("unchecked")
          List<Object> list = (List<Object>) agg;
          if (!list.contains(v)) {
            list.add(v);
            list.sort(null);
          }
          return list;
        },
        (a, b) -> {
          @SuppressWarnings("unchecked")
          List<Object> list = new ArrayList<>((List<Object>) a);
          for (Object v : (List<?>) b) {
            if (!list.contains(v)) {
              list.add(v);
            }
          }
          list.sort(null);
          return list;
        });
    // and a count of values: long aggregates of string values (unboxed layout)
    Aggregator count = new Aggregator(v -> 1L, (agg, v) -> (Long) agg + 1, (a, b) -> (Long) a + (Long) b);

    Map<Object, TreeSet<Integer>> expectedDistinct = new HashMap<>();
    Map<Object, Long> expectedCount = new HashMap<>();
    Combiner distinctAll = Combiner.of(Encoders.strings(), Encoders.javaUnchecked(List.class), distinct, 8);
    Combiner countAll = Combiner.of(Encoders.strings(), Encoders.longs(), count, 8);
    for (int map = 0; map < 3; map++) {
      Combiner distinctMap = Combiner.of(Encoders.strings(), Encoders.javaUnchecked(List.class), distinct, 8);
      Combiner countMap = Combiner.of(Encoders.strings(), Encoders.longs(), count, 8);
      for (int i = 0; i < 1_000; i++) {
        String key = "k" + random.nextInt(50);
        int value = random.nextInt(20);
        distinctMap.addValue(key, value);
        countMap.addValue(key, "v" + value);
        expectedDistinct.computeIfAbsent(key, k -> new TreeSet<>()).add(value);
        expectedCount.merge(key, 1L, Long::sum);
      }
      distinctMap.forEach(distinctAll::addAggregate);
      countMap.forEach(countAll::addAggregate);
    }
    Map<Object, Object> expectedLists = new HashMap<>();
    expectedDistinct.forEach((k, v) -> expectedLists.put(k, new ArrayList<>(v)));
    assertEquals(expectedLists, contents(distinctAll));
    assertEquals(expectedCount, contents(countAll));
  }

  @Test
  void nonFiniteAndSignedZeroDoublesSurviveTheirBits() {
    Combiner combiner = Combiner.of(Encoders.strings(), Encoders.doubles(), Aggregator.reducing((a, b) -> b), 4);
    List<Double> values = List.of(Double.NaN, -0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE);
    for (int i = 0; i < values.size(); i++) {
      combiner.addValue("k" + i, values.get(i));
    }
    Map<Object, Object> out = contents(combiner);
    for (int i = 0; i < values.size(); i++) {
      assertEquals(Double.doubleToRawLongBits(values.get(i)), Double.doubleToRawLongBits((Double) out.get("k" + i)));
    }
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithTheEncoder() {
    Combiner combiner = Combiner.of(Encoders.strings(), Encoders.longs(), Aggregator.reducing(sum()), 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> combiner.addValue("k", 1));
    assertEquals("the aggregate of a first value is a value of type java.lang.Integer where the encoder says long",
        e.getMessage());
    IllegalArgumentException sent = assertThrows(IllegalArgumentException.class, () -> combiner.addAggregate("j", "1"));
    assertEquals("a map task sent a value of type java.lang.String where the encoder says long", sent.getMessage());
  }

  @Test
  void aFunctionResultOfTheWrongTypeIsNamedWithTheEncoder() {
    ReduceFunction<Object> toText = (a, b) -> a + "" + b;
    Combiner combiner = Combiner.of(Encoders.strings(), Encoders.ints(), Aggregator.reducing(toText), 4);
    combiner.addValue("k", 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> combiner.addValue("k", 2));
    assertEquals("the aggregation function returned a value of type java.lang.String where the encoder says int",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> combiner.addAggregate("k", 3));
    assertEquals("the aggregation function returned a value of type java.lang.String where the encoder says int",
        e.getMessage());
  }

  @Test
  void nullValuesAndNullResultsAreRefusedForEveryLayout() {
    ReduceFunction<Object> toNull = (a, b) -> null;
    for (Encoder<?> encoder : List.of(Encoders.longs(), Encoders.strings())) {
      Combiner combiner = Combiner.of(Encoders.strings(), encoder, Aggregator.reducing(toNull), 4);
      IllegalArgumentException noValue = assertThrows(IllegalArgumentException.class,
          () -> combiner.addValue("k", null));
      assertEquals("reduceByKey got a null value for key k", noValue.getMessage());
      Object v = encoder.equals(Encoders.longs()) ? (Object) 1L : "a";
      combiner.addValue("k", v);
      IllegalArgumentException noResult = assertThrows(IllegalArgumentException.class,
          () -> combiner.addValue("k", v));
      assertTrue(noResult.getMessage().contains("returned null"), noResult.getMessage());
      IllegalArgumentException noMerge = assertThrows(IllegalArgumentException.class,
          () -> combiner.addAggregate("k", v));
      assertEquals("the aggregation function returned null (merging two aggregates)", noMerge.getMessage());
      IllegalArgumentException noAggregate = assertThrows(IllegalArgumentException.class,
          () -> combiner.addAggregate("other", null));
      assertEquals("the aggregation function returned null (an aggregate read from a shuffle)",
          noAggregate.getMessage());
      assertEquals(1, combiner.size(), "nothing was dropped or added by the refusals");
    }
    Aggregator createsNull = new Aggregator(v -> null, (a, v) -> a, (a, b) -> a);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Combiner.of(Encoders.strings(), Encoders.strings(), createsNull, 4).addValue("k", "v"));
    assertEquals("the aggregation function returned null (the first value's aggregate)", e.getMessage());
  }

  @Test
  void aCheckedExceptionFromTheFunctionIsWrappedAsUserCode() {
    ReduceFunction<Object> broken = (a, b) -> {
      throw new IOException("merge broke");
    };
    Combiner combiner = Combiner.of(Encoders.strings(), Encoders.doubles(), Aggregator.reducing(broken), 4);
    combiner.addValue("k", 1.0);
    UserCodeException e = assertThrows(UserCodeException.class, () -> combiner.addValue("k", 2.0));
    assertInstanceOf(IOException.class, e.getCause());
    e = assertThrows(UserCodeException.class, () -> combiner.addAggregate("k", 2.0));
    assertEquals("merge broke", e.getCause().getMessage());
  }

  @SuppressWarnings("unchecked")
  private <V> void check(Encoder<V> encoder, IntFunction<V> values, BinaryOperator<V> op) {
    ReduceFunction<Object> fn = (a, b) -> op.apply((V) a, (V) b);
    Combiner combiner = Combiner.of(Encoders.strings(), encoder, Aggregator.reducing(fn), 8);
    Map<Object, V> expected = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      String key = "key" + random.nextInt(500);
      V value = values.apply(i);
      combiner.addValue(key, value);
      V before = expected.get(key);
      expected.put(key, before == null ? value : op.apply(before, value));
    }
    assertEquals(expected.size(), combiner.size());
    assertEquals(expected, contents(combiner), encoder.describe());
  }

  private static Map<Object, Object> contents(Combiner combiner) {
    Map<Object, Object> out = new HashMap<>();
    combiner.forEach((key, value) -> assertEquals(null, out.put(key, value), "key seen twice: " + key));
    return out;
  }

  private static ReduceFunction<Object> sum() {
    return (a, b) -> (Long) a + (Long) b;
  }
}
