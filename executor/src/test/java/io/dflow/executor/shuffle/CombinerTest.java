package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.UserCodeException;
import io.dflow.api.function.ReduceFunction;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link Combiner} for each value layout it keeps (unboxed long, int and double cells; boxed
 * values for everything else), checked against a plain fold computed in the test, and its
 * refusals of null and mistyped values.
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

  @Test
  void nonFiniteAndSignedZeroDoublesSurviveTheCell() {
    Combiner combiner = Combiner.of(Encoders.doubles(), (a, b) -> b, 4);
    List<Double> values = List.of(Double.NaN, -0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE);
    for (int i = 0; i < values.size(); i++) {
      combiner.add("k" + i, values.get(i));
    }
    Map<Object, Object> out = contents(combiner);
    for (int i = 0; i < values.size(); i++) {
      assertEquals(Double.doubleToRawLongBits(values.get(i)), Double.doubleToRawLongBits((Double) out.get("k" + i)));
    }
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithTheEncoder() {
    Combiner combiner = Combiner.of(Encoders.longs(), sum(), 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> combiner.add("k", 1));
    assertEquals("reduceByKey got a value of type java.lang.Integer where the value encoder says long",
        e.getMessage());
  }

  @Test
  void aFunctionResultOfTheWrongTypeIsNamedWithTheEncoder() {
    ReduceFunction<Object> toText = (a, b) -> a + "" + b;
    Combiner combiner = Combiner.of(Encoders.ints(), toText, 4);
    combiner.add("k", 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> combiner.add("k", 2));
    assertEquals("the reduceByKey function returned a value of type java.lang.String where the value encoder says int",
        e.getMessage());
  }

  @Test
  void nullValuesAndNullResultsAreRefusedForEveryLayout() {
    ReduceFunction<Object> toNull = (a, b) -> null;
    for (Encoder<?> encoder : List.of(Encoders.longs(), Encoders.strings())) {
      Combiner combiner = Combiner.of(encoder, toNull, 4);
      IllegalArgumentException noValue = assertThrows(IllegalArgumentException.class, () -> combiner.add("k", null));
      assertEquals("reduceByKey got a null value for key k", noValue.getMessage());
      Object v = encoder.equals(Encoders.longs()) ? (Object) 1L : "a";
      combiner.add("k", v);
      IllegalArgumentException noResult = assertThrows(IllegalArgumentException.class, () -> combiner.add("k", v));
      assertTrue(noResult.getMessage().contains("returned null"), noResult.getMessage());
    }
  }

  @Test
  void aCheckedExceptionFromTheFunctionIsWrappedAsUserCode() {
    ReduceFunction<Object> broken = (a, b) -> {
      throw new IOException("merge broke");
    };
    Combiner combiner = Combiner.of(Encoders.doubles(), broken, 4);
    combiner.add("k", 1.0);
    UserCodeException e = assertThrows(UserCodeException.class, () -> combiner.add("k", 2.0));
    assertInstanceOf(IOException.class, e.getCause());
  }

  @SuppressWarnings("unchecked")
  private <V> void check(Encoder<V> encoder, IntFunction<V> values, BinaryOperator<V> op) {
    ReduceFunction<Object> fn = (a, b) -> op.apply((V) a, (V) b);
    Combiner combiner = Combiner.of(encoder, fn, 8);
    Map<Object, V> expected = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      String key = "key" + random.nextInt(500);
      V value = values.apply(i);
      combiner.add(key, value);
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
