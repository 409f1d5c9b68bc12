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
 * it is their first four characters, for byte arrays their first seven bytes and their length
 * (so a key of at most seven bytes is its prefix: equal prefixes are equal keys), and only ties
 * that cannot be told apart by the prefix ({@link #tieNeedsKeys}) compare the keys themselves. A {@link KeyComparator} other than a {@link KeyOrder} gets no
 * prefix: every comparison is the comparator's.
 */
abstract class RecordOrder {
  /** The length byte of a {@code byte[]} key's prefix when the key is longer than the seven bytes it holds. */
  private static final int LONG_KEY = 0xff;

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
            // Seven bytes, zero-padded, then the length (0xff: eight or more): as zero is the
            // least byte, a key shorter than another that starts like it sorts first, as it should.
            byte[] b = (byte[]) key;
            long p = 0;
            for (int i = 0; i < 7; i++) {
              p = (p << 8) | (i < b.length ? b[i] & 0xff : 0);
            }
            p = (p << 8) | (b.length < 8 ? b.length : LONG_KEY);
            yield p ^ Long.MIN_VALUE; // unsigned byte order as a signed long
          }
        };
      }

      @Override
      boolean naturalBytes() {
        return kind == Encoder.ScalarKind.BYTES;
      }

      @Override
      int direction() {
        return sign;
      }

      @Override
      boolean tieNeedsKeys(long prefix) {
        return kind == Encoder.ScalarKind.BYTES ? (prefix & 0xff) == LONG_KEY : needsKeys();
      }

      @Override
      long radixKey(long prefix) {
        return sign > 0 ? prefix ^ Long.MIN_VALUE : ~(prefix ^ Long.MIN_VALUE);
      }

      @Override
      int compare(Object a, long pa, Object b, long pb) {
        int c = Long.compare(pa, pb);
        if (c == 0 && tieNeedsKeys(pa)) {
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

  /** Whether {@link #compare} may need the keys themselves when prefixes tie. */
  boolean needsKeys() {
    return false;
  }

  /** Whether this is the natural order of {@code byte[]} keys (or its reverse): by their unsigned bytes. */
  boolean naturalBytes() {
    return false;
  }

  /** 1 for an ascending order, -1 for a descending one. */
  int direction() {
    return 1;
  }

  /** Whether two keys that share {@code prefix} need comparing themselves (else they are equal). */
  boolean tieNeedsKeys(long prefix) {
    return needsKeys();
  }

  /** Whether this order sorts at all. */
  final boolean sorts() {
    return this != NONE;
  }

  abstract long prefix(Object key);

  /** Compares two keys, given their prefixes; the keys are only looked at if {@link #needsKeys}. */
  abstract int compare(Object a, long pa, Object b, long pb);
}
