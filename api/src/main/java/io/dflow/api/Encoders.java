package io.dflow.api;

import io.dflow.api.Encoder.ScalarKind;
import java.io.Serializable;

/** Factory for the {@link Encoder}s a job names when it declares a step's output type. */
public final class Encoders {
  private Encoders() {}

  public static Encoder<String> strings() {
    return new Encoder.Scalar<>(ScalarKind.STRING);
  }

  public static Encoder<Long> longs() {
    return new Encoder.Scalar<>(ScalarKind.LONG);
  }

  public static Encoder<Integer> ints() {
    return new Encoder.Scalar<>(ScalarKind.INT);
  }

  public static Encoder<Double> doubles() {
    return new Encoder.Scalar<>(ScalarKind.DOUBLE);
  }

  public static Encoder<Boolean> booleans() {
    return new Encoder.Scalar<>(ScalarKind.BOOLEAN);
  }

  public static Encoder<byte[]> bytes() {
    return new Encoder.Scalar<>(ScalarKind.BYTES);
  }

  public static <K, V> Encoder<Pair<K, V>> pairs(Encoder<K> key, Encoder<V> value) {
    return new Encoder.PairOf<>(key, value);
  }

  /** Any other serialisable type, carried as Java serialisation in a binary column. */
  public static <T extends Serializable> Encoder<T> java(Class<T> type) {
    return new Encoder.JavaSerialized<>(type);
  }

  /** Like {@link #java(Class)} for generic types such as {@code List<Long>}. */
  @SuppressWarnings("unchecked")
  public static <T> Encoder<T> javaUnchecked(Class<?> type) {
    return (Encoder<T>) new Encoder.JavaSerialized<>(type);
  }
}
