package io.dflow.api;

import java.io.Serializable;

/** A key/value record: what wide steps (reduceByKey, groupByKey, sortByKey) regroup by key. */
public record Pair<K, V>(K key, V value) implements Serializable {
  public static <K, V> Pair<K, V> of(K key, V value) {
    return new Pair<>(key, value);
  }

  @Override
  public String toString() {
    return key + "\t" + value;
  }
}
