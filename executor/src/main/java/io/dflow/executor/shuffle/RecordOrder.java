package io.dflow.executor.shuffle;

import io.dflow.api.Encoder;
import io.dflow.api.KeyComparator;
import io.dflow.api.KeyOrder;
import io.dflow.api.StableHash;
import io.dflow.api.plan.ShuffleSpec;

/**
 * How records are ordered within a partition while they are sorted and merged: not at all, by
 * the stable hash of their key (records of one key meet; distinct keys that share a hash meet
 * too and are told apart by equality when merged), or by their key in a {@link KeyOrder}. Each
 * key gets a 64-bit prefix whose order agrees with the full order, so most comparisons never
 * look at the key: for long, int, double and boolean keys the prefix is the order; for strings
 * it is their first four characters, for byte arrays their first eight bytes, and only ties
 * compare the keys themselves. A {@link KeyComparator} other than a {@link KeyOrder} gets no
 * prefix: every comparison is the comparator's.
 */
abstract class RecordOrder {
  static final RecordOrder NONE = new RecordOrder() {
    @Override
    long prefix(Object key) {
      return 0;
    }

    @Override
    int compare(Object a, long pa, Object b, long pb) {
      return 0;
    }
  };

  static final RecordOrder GROUPING = new RecordOrder() {
    @Override
    long prefix(Object key) {
      return StableHash.of(key);
    }

    @Override
    int compare(Object a, long pa, Object b, long pb) {
      return Long.compare(pa, pb);
    }
  };

  /**
   * The order records of {@code spec}'s shuffle are kept in, on both sides: by key for a sort,
   * by key hash for a grouping or an aggregation, none for a plain repartition.
   */
  static RecordOrder of(ShuffleSpec spec) {
    return switch (spec.kind()) {
      case SORT -> byKey(spec.order(), spec.keyEncoder());
      case GROUP, AGGREGATE -> GROUPING;
      case PARTITION -> NONE;
    };
  }

  /** The total order of {@code order} over keys of {@code keyEncoder}. */
  static RecordOrder byKey(KeyComparator<Object> order, Encoder<?> keyEncoder) {
    return order instanceof KeyOrder natural ? natural(natural, keyEncoder) : comparing(order);
  }

  private static RecordOrder comparing(KeyComparator<Object> order) {
    return new RecordOrder() {
      @Override
      boolean needsKeys() {
        return true;
      }

      @Override
      long prefix(Object key) {
        return 0;
      }

      @Override
      int compare(Object a, long pa, Object b, long pb) {
        return order.compare(a, b);
      }
    };
  }

  private static RecordOrder natural(KeyOrder order, Encoder<?> keyEncoder) {
    Encoder.ScalarKind kind = keyEncoder instanceof Encoder.Scalar<?> s ? s.kind() : null;
    int sign = order == KeyOrder.DESCENDING ? -1 : 1;
    return new RecordOrder() {
      @Override
      boolean needsKeys() {
        return kind != Encoder.ScalarKind.LONG && kind != Encoder.ScalarKind.INT
            && kind != Encoder.ScalarKind.BOOLEAN && kind != Encoder.ScalarKind.DOUBLE;
      }

      @Override
      long prefix(Object key) {
        if (key == null || kind == null) {
          return 0;
        }
        return switch (kind) {
          case LONG -> (Long) key;
          case INT -> (Integer) key;
          case BOOLEAN -> (Boolean) key ? 1 : 0;
          case DOUBLE -> {
            long bits = Double.doubleToLongBits((Double) key);
            yield bits ^ ((bits >> 63) & Long.MAX_VALUE); // Double.compare's order, as a signed long
          }
          case STRING -> {
            String s = (String) key;
            long p = 0;
            for (int i = 0; i < 4; i++) {
              p = (p << 16) | (i < s.length() ? s.charAt(i) : 0);
            }
            yield p ^ Long.MIN_VALUE; // unsigned char order as a signed long
          }
          case BYTES -> {
            byte[] b = (byte[]) key;
            long p = 0;
            for (int i = 0; i < 8; i++) {
              p = (p << 8) | (i < b.length ? b[i] & 0xff : 0);
            }
            yield p ^ Long.MIN_VALUE; // unsigned byte order as a signed long
          }
        };
      }

      @Override
      long radixKey(long prefix) {
        return sign > 0 ? prefix ^ Long.MIN_VALUE : ~(prefix ^ Long.MIN_VALUE);
      }

      @Override
      int compare(Object a, long pa, Object b, long pb) {
        int c = Long.compare(pa, pb);
        if (c == 0 && needsKeys()) {
          c = KeyOrder.ASCENDING.compare(a, b);
        }
        return sign * c;
      }
    };
  }

  /**
   * {@code prefix} as a key whose unsigned order is this order of prefixes (what
   * {@link RadixSort} sorts by): the sign bit flipped, and every bit too for a descending order.
   */
  long radixKey(long prefix) {
    return prefix ^ Long.MIN_VALUE;
  }

  /** Whether {@link #compare} needs the keys themselves when prefixes tie. */
  boolean needsKeys() {
    return false;
  }

  /** Whether this order sorts at all. */
  final boolean sorts() {
    return this != NONE;
  }

  abstract long prefix(Object key);

  /** Compares two keys, given their prefixes; the keys are only looked at if {@link #needsKeys}. */
  abstract int compare(Object a, long pa, Object b, long pb);
}
