package io.dflow.executor.shuffle;

import io.dflow.api.Pair;

/**
 * Rough heap sizes of keys and aggregates held as objects in an aggregation table, for its
 * memory account: exact enough for strings, boxed numbers and byte arrays (the usual keys), a
 * flat guess for anything else.
 */
final class ObjectSizes {
  /** A hash map entry's own cost: its node and its share of the table. */
  static final long ENTRY = 80;
  private static final long UNKNOWN = 64;

  private ObjectSizes() {}

  static long of(Object o) {
    if (o == null) {
      return 0;
    }
    if (o instanceof String s) {
      return 40 + 2L * s.length();
    }
    if (o instanceof Long || o instanceof Integer || o instanceof Double || o instanceof Boolean) {
      return 16;
    }
    if (o instanceof byte[] b) {
      return 16 + b.length;
    }
    if (o instanceof Pair<?, ?> p) {
      return 24 + of(p.key()) + of(p.value());
    }
    return UNKNOWN;
  }
}
