package io.dflow.executor.shuffle;

import io.dflow.api.Pair;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one partition of several key/value inputs grouped by key: one record
 * {@code Pair(key, [values of input 0, values of input 1, ...])} per key found in any input.
 */
public final class CoGrouper {
  private CoGrouper() {}

  public static Iterator<Object> group(List<Iterator<Object>> inputs) {
    Map<Object, List<List<Object>>> groups = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      Iterator<Object> in = inputs.get(i);
      while (in.hasNext()) {
        Pair<?, ?> pair = Merger.asPair(in.next());
        List<List<Object>> sides = groups.computeIfAbsent(pair.key(), k -> emptySides(inputs.size()));
        sides.get(i).add(pair.value());
      }
    }
    return groups.entrySet().stream().map(e -> (Object) Pair.of(e.getKey(), e.getValue())).iterator();
  }

  private static List<List<Object>> emptySides(int n) {
    List<List<Object>> sides = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sides.add(new ArrayList<>());
    }
    return sides;
  }
}
