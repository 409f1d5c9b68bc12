package io.dflow.executor.shuffle;

import io.dflow.api.Encoder;
import io.dflow.api.Encoder.ScalarKind;
import io.dflow.api.UserCodeException;
import io.dflow.api.function.ReduceFunction;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The values of each key merged with a {@code reduceByKey} function, as they arrive: the map
 * side combiner and the reduce side merge.
 *
 * <p>Values of a long, int or double encoder are kept unboxed, in a mutable cell per key. A
 * table of boxed values stores a fresh box into a long-lived entry for every record; each such
 * store of a young object into an old one pays the collector's write barrier and leaves a card
 * for the next young collection to scan, which made the table three times slower than the same
 * lookups with cells updated in place.
 */
abstract class Combiner {
  /**
   * A sparse table (load factor 0.5) keeps bucket chains short, since lookups that miss the cache
   * dominate word-count-like jobs.
   */
  private static final float LOAD_FACTOR = 0.5f;

  private final ReduceFunction<Object> fn;

  private Combiner(ReduceFunction<Object> fn) {
    this.fn = fn;
  }

  /** A combiner for values laid out by {@code valueEncoder}, merged with {@code fn}. */
  static Combiner of(Encoder<?> valueEncoder, ReduceFunction<Object> fn, int expectedKeys) {
    int capacity = (int) Math.min(1 << 30, expectedKeys / LOAD_FACTOR);
    if (valueEncoder instanceof Encoder.Scalar<?> scalar && Unboxed.KINDS.contains(scalar.kind())) {
      return new Unboxed(fn, capacity, scalar.kind());
    }
    return new Boxed(fn, capacity);
  }

  /** Merges {@code value} into what {@code key} holds so far. */
  abstract void add(Object key, Object value);

  /** The number of distinct keys so far. */
  abstract int size();

  /** Calls {@code action} with each key and its merged value, in no particular order. */
  abstract void forEach(BiConsumer<Object, Object> action);

  /**
   * Merges two values of a key with the user's function. A null result is refused: in
   * {@link Map#merge} it would silently drop the key and everything merged into it so far.
   */
  final Object merge(Object left, Object right) {
    Object merged;
    try {
      merged = fn.apply(left, right);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new UserCodeException(e);
    }
    if (merged == null) {
      throw new IllegalArgumentException("the reduceByKey function returned null for values of "
          + "types " + left.getClass().getName() + " and " + right.getClass().getName());
    }
    return merged;
  }

  static void checkNotNull(Object key, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("reduceByKey got a null value for key " + key);
    }
  }

  /** Any value type: one boxed value per key, replaced on each merge. */
  private static final class Boxed extends Combiner {
    private final HashMap<Object, Object> values;

    Boxed(ReduceFunction<Object> fn, int capacity) {
      super(fn);
      values = new HashMap<>(capacity, LOAD_FACTOR);
    }

    @Override
    void add(Object key, Object value) {
      checkNotNull(key, value);
      values.merge(key, value, this::merge);
    }

    @Override
    int size() {
      return values.size();
    }

    @Override
    void forEach(BiConsumer<Object, Object> action) {
      values.forEach(action);
    }
  }

  /** Long, int or double values, held as the 64 bits of a mutable cell per key. */
  private static final class Unboxed extends Combiner {
    static final Set<ScalarKind> KINDS = EnumSet.of(ScalarKind.LONG, ScalarKind.INT, ScalarKind.DOUBLE);

    private static final class Cell {
      long bits;

      Cell(long bits) {
        this.bits = bits;
      }
    }

    private final HashMap<Object, Cell> cells;
    private final ScalarKind kind;

    Unboxed(ReduceFunction<Object> fn, int capacity, ScalarKind kind) {
      super(fn);
      this.cells = new HashMap<>(capacity, LOAD_FACTOR);
      this.kind = kind;
    }

    @Override
    void add(Object key, Object value) {
      checkNotNull(key, value);
      Cell cell = cells.get(key);
      if (cell == null) {
        cells.put(key, new Cell(bits(value, "reduceByKey got")));
      } else {
        cell.bits = bits(merge(boxed(cell.bits), value), "the reduceByKey function returned");
      }
    }

    @Override
    int size() {
      return cells.size();
    }

    @Override
    void forEach(BiConsumer<Object, Object> action) {
      cells.forEach((key, cell) -> action.accept(key, boxed(cell.bits)));
    }

    /** The bits of {@code value}, which {@code source} (for the error) says it got. */
    private long bits(Object value, String source) {
      switch (kind) {
        case LONG:
          if (value instanceof Long l) {
            return l;
          }
          break;
        case INT:
          if (value instanceof Integer i) {
            return i;
          }
          break;
        case DOUBLE:
          if (value instanceof Double d) {
            return Double.doubleToRawLongBits(d);
          }
          break;
        default:
          throw new AssertionError(kind);
      }
      throw new IllegalArgumentException(source + " a value of type "
          + value.getClass().getName() + " where the value encoder says "
          + kind.name().toLowerCase(Locale.ROOT));
    }

    private Object boxed(long bits) {
      switch (kind) {
        case LONG:
          return bits;
        case INT:
          return (int) bits;
        case DOUBLE:
          return Double.longBitsToDouble(bits);
        default:
          throw new AssertionError(kind);
      }
    }
  }
}
