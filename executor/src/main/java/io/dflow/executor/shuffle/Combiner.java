package io.dflow.executor.shuffle;

import io.dflow.api.Encoder;
import io.dflow.api.Encoder.ScalarKind;
import io.dflow.api.plan.Aggregator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The values of each key aggregated as they arrive, with a shuffle's {@link Aggregator}: values
 * start or join an aggregate ({@link #addValue}: the map-side combiner, and an aggregation over
 * data already partitioned) and aggregates of several map tasks merge ({@link #addAggregate}:
 * the reduce side).
 *
 * <p>Values of a long, int or double encoder are kept unboxed, as bits in a primitive array
 * updated in place. A table of boxed values stores a fresh box into a long-lived entry for every
 * record; each such store of a young object into an old one pays the collector's write barrier
 * and leaves a card for the next young collection to scan, which made the table three times
 * slower than the same lookups with values updated in place. With long or int keys too, keys and
 * values live in two primitive arrays, with no object per key at all.
 */
abstract class Combiner {
  /**
   * A sparse table (load factor 0.5) keeps bucket chains short, since lookups that miss the cache
   * dominate word-count-like jobs.
   */
  private static final float LOAD_FACTOR = 0.5f;

  private final Aggregator aggregator;

  private Combiner(Aggregator aggregator) {
    this.aggregator = aggregator;
  }

  /** An aggregate that arrived from a map task; null is refused as a damaged input. */
  static Object checkedAggregate(Object aggregate) {
    return checked(aggregate, "an aggregate read from a shuffle");
  }

  /** A combiner of keys laid out by {@code keyEncoder} and aggregates by {@code aggregateEncoder}. */
  static Combiner of(Encoder<?> keyEncoder, Encoder<?> aggregateEncoder, Aggregator aggregator, int expectedKeys) {
    int capacity = (int) Math.min(1 << 30, expectedKeys / LOAD_FACTOR);
    ScalarKind valueKind = Unboxed.unboxedKind(aggregateEncoder);
    if (valueKind != null && keyEncoder instanceof Encoder.Scalar<?> key
        && (key.kind() == ScalarKind.LONG || key.kind() == ScalarKind.INT)) {
      return new NumberKeyed(aggregator, capacity, key.kind(), valueKind);
    }
    if (valueKind != null) {
      return new Unboxed(aggregator, capacity, valueKind);
    }
    return new Boxed(aggregator, capacity);
  }

  /** Bytes of memory a new key with this first aggregate takes, roughly. */
  long entryBytes(Object key, Object aggregate) {
    return ObjectSizes.ENTRY + ObjectSizes.of(key) + ObjectSizes.of(aggregate);
  }

  /** Starts {@code key}'s aggregate with {@code value}, or merges the value into it. */
  abstract void addValue(Object key, Object value);

  /** Takes {@code aggregate} as {@code key}'s, or merges it into the one it has. */
  abstract void addAggregate(Object key, Object aggregate);

  /** The number of distinct keys so far. */
  abstract int size();

  /** Calls {@code action} with each key and its merged value, in no particular order. */
  abstract void forEach(BiConsumer<Object, Object> action);

  /**
   * The places an entry may be in, {@code 0 .. slots()}, for reading the entries out one at a
   * time ({@link #occupied}, {@link #keyAt}, {@link #aggregateAt}) after the last add: a table
   * handed out as pairs made all at once kept every key's pair and boxes alive until the task
   * ended, which the collector then copied and marked over and over.
   */
  int slots() {
    snapshot();
    return snapshotKeys.length;
  }

  /** Whether {@code slot} holds an entry. */
  boolean occupied(int slot) {
    return true;
  }

  /** The key in an occupied {@code slot}. */
  Object keyAt(int slot) {
    return snapshotKeys[slot];
  }

  /** The aggregate in an occupied {@code slot}. */
  Object aggregateAt(int slot) {
    return snapshotValues[slot];
  }

  private Object[] snapshotKeys;
  private Object[] snapshotValues;

  /** Tables of objects have no slots of their own: their entries are laid out in two arrays once. */
  private void snapshot() {
    if (snapshotKeys == null || snapshotKeys.length != size()) {
      Object[] keys = new Object[size()];
      Object[] values = new Object[keys.length];
      int[] at = {0};
      forEach((k, v) -> {
        keys[at[0]] = k;
        values[at[0]++] = v;
      });
      snapshotKeys = keys;
      snapshotValues = values;
    }
  }

  /** The first aggregate of a key: made from its first value. A null is refused (see {@link #checked}). */
  final Object create(Object key, Object value) {
    if (value == null && aggregator.valuesAreAggregates()) {
      throw new IllegalArgumentException("reduceByKey got a null value for key " + key);
    }
    return checked(aggregator.create(value), "the first value's aggregate");
  }

  final Object mergeValue(Object aggregate, Object value) {
    return checked(aggregator.mergeValue(aggregate, value), "merging a value");
  }

  final Object mergeAggregates(Object left, Object right) {
    return checked(aggregator.mergeCombiners(left, right), "merging two aggregates");
  }

  /**
   * The bits of a {@code kind} aggregate after {@code in} (a value, or with {@code aggregate} a
   * map task's aggregate) joins the one in {@code old}, or starts it when none is {@code present}.
   */
  final long mergedBits(ScalarKind kind, boolean present, long old, Object key, Object in, boolean aggregate) {
    if (!present) {
      return aggregate ? toBits(kind, checkedAggregate(in), "a map task sent")
          : toBits(kind, create(key, in), "the aggregate of a first value is");
    }
    Object result = aggregate ? mergeAggregates(fromBits(kind, old), in) : mergeValue(fromBits(kind, old), in);
    return toBits(kind, result, "the aggregation function returned");
  }

  /**
   * A null aggregate is refused: in a table it would silently drop the key and everything
   * merged into it so far.
   */
  private static Object checked(Object aggregate, String what) {
    if (aggregate == null) {
      throw new IllegalArgumentException("the aggregation function returned null (" + what + ")");
    }
    return aggregate;
  }

  /** Any aggregate type: one boxed aggregate per key, replaced on each merge. */
  private static final class Boxed extends Combiner {
    private final HashMap<Object, Object> values;

    Boxed(Aggregator aggregator, int capacity) {
      super(aggregator);
      values = new HashMap<>(capacity, LOAD_FACTOR);
    }

    @Override
    void addValue(Object key, Object value) {
      Object old = values.get(key);
      values.put(key, old == null ? create(key, value) : mergeValue(old, value));
    }

    @Override
    void addAggregate(Object key, Object aggregate) {
      Object old = values.get(key);
      values.put(key, old == null ? checkedAggregate(aggregate) : mergeAggregates(old, aggregate));
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

  /**
   * Keys of any other type with long, int or double aggregates, by open addressing over three
   * arrays: the keys, their hash codes and the aggregates' 64 bits. A lookup compares a hash in
   * one array before it touches a key, and updates the aggregate in place; a map of cells made
   * every lookup chase an entry, its key and the key's cell, one cache miss after another. Null
   * has a field of its own.
   */
  private static final class Unboxed extends Combiner {
    static final Set<ScalarKind> KINDS = EnumSet.of(ScalarKind.LONG, ScalarKind.INT, ScalarKind.DOUBLE);

    /** The kind of value held unboxed for aggregates of {@code encoder}, or null if they are held boxed. */
    static ScalarKind unboxedKind(Encoder<?> encoder) {
      return encoder instanceof Encoder.Scalar<?> scalar && KINDS.contains(scalar.kind()) ? scalar.kind() : null;
    }

    private final ScalarKind kind;
    private Object[] keys;
    private int[] hashes;
    private long[] values;
    private int shift;
    private int size;
    private boolean hasNullKey;
    private long nullKeyValue;

    Unboxed(Aggregator aggregator, int capacity, ScalarKind kind) {
      super(aggregator);
      this.kind = kind;
      allocate(Math.max(16, Integer.highestOneBit(Math.max(1, capacity - 1)) << 1));
    }

    private void allocate(int slots) {
      keys = new Object[slots];
      hashes = new int[slots];
      values = new long[slots];
      shift = 32 - Integer.numberOfTrailingZeros(slots);
    }

    @Override
    long entryBytes(Object key, Object aggregate) {
      return ObjectSizes.of(key) + (long) ((Long.BYTES + Integer.BYTES + Long.BYTES) / LOAD_FACTOR);
    }

    @Override
    void addValue(Object key, Object value) {
      add(key, value, false);
    }

    @Override
    void addAggregate(Object key, Object aggregate) {
      add(key, aggregate, true);
    }

    private void add(Object key, Object in, boolean aggregate) {
      if (key == null) {
        nullKeyValue = mergedBits(kind, hasNullKey, nullKeyValue, null, in, aggregate);
        hasNullKey = true;
        return;
      }
      int hash = key.hashCode();
      int mask = keys.length - 1;
      int i = (hash * 0x9E3779B9) >>> shift;
      while (true) {
        Object at = keys[i];
        if (at == null) {
          values[i] = mergedBits(kind, false, 0, key, in, aggregate);
          keys[i] = key;
          hashes[i] = hash;
          if (++size > keys.length * LOAD_FACTOR) {
            grow();
          }
          return;
        }
        if (hashes[i] == hash && (at == key || at.equals(key))) {
          values[i] = mergedBits(kind, true, values[i], key, in, aggregate);
          return;
        }
        i = (i + 1) & mask;
      }
    }

    private void grow() {
      Object[] oldKeys = keys;
      int[] oldHashes = hashes;
      long[] oldValues = values;
      allocate(oldKeys.length * 2);
      int mask = keys.length - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldKeys[j] != null) {
          int i = (oldHashes[j] * 0x9E3779B9) >>> shift;
          while (keys[i] != null) {
            i = (i + 1) & mask;
          }
          keys[i] = oldKeys[j];
          hashes[i] = oldHashes[j];
          values[i] = oldValues[j];
        }
      }
    }

    @Override
    int size() {
      return size + (hasNullKey ? 1 : 0);
    }

    /** The table's slots, then one for null. */
    @Override
    int slots() {
      return keys.length + 1;
    }

    @Override
    boolean occupied(int slot) {
      return slot < keys.length ? keys[slot] != null : hasNullKey;
    }

    @Override
    Object keyAt(int slot) {
      return slot < keys.length ? keys[slot] : null;
    }

    @Override
    Object aggregateAt(int slot) {
      return fromBits(kind, slot < keys.length ? values[slot] : nullKeyValue);
    }

    @Override
    void forEach(BiConsumer<Object, Object> action) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] != null) {
          action.accept(keys[i], fromBits(kind, values[i]));
        }
      }
      if (hasNullKey) {
        action.accept(null, fromBits(kind, nullKeyValue));
      }
    }
  }

  /**
   * Long or int keys with long, int or double aggregates, in two primitive arrays with open
   * addressing: a lookup reads one slot of each, where a map of boxed keys follows a chain of
   * objects that miss the cache one after another. Two keys have no slot: the one whose bits
   * mark an empty slot, and null; each has a field of its own.
   */
  private static final class NumberKeyed extends Combiner {
    private static final long EMPTY = Long.MIN_VALUE;

    private final ScalarKind keyKind;
    private final ScalarKind valueKind;
    private long[] keys;
    private long[] values;
    private int shift;
    private int size;
    private boolean hasEmptyKey;
    private long emptyKeyValue;
    private boolean hasNullKey;
    private long nullKeyValue;

    NumberKeyed(Aggregator aggregator, int capacity, ScalarKind keyKind, ScalarKind valueKind) {
      super(aggregator);
      this.keyKind = keyKind;
      this.valueKind = valueKind;
      allocate(Math.max(16, Integer.highestOneBit(Math.max(1, capacity - 1)) << 1));
    }

    private void allocate(int slots) {
      keys = new long[slots];
      values = new long[slots];
      java.util.Arrays.fill(keys, EMPTY);
      shift = 64 - Integer.numberOfTrailingZeros(slots);
    }

    @Override
    long entryBytes(Object key, Object aggregate) {
      return (long) (2 * Long.BYTES / LOAD_FACTOR);
    }

    @Override
    void addValue(Object key, Object value) {
      add(key, value, false);
    }

    @Override
    void addAggregate(Object key, Object aggregate) {
      add(key, aggregate, true);
    }

    private void add(Object key, Object in, boolean aggregate) {
      if (key == null) {
        nullKeyValue = mergedBits(valueKind, hasNullKey, nullKeyValue, key, in, aggregate);
        hasNullKey = true;
        return;
      }
      long k = keyBits(key);
      if (k == EMPTY) {
        emptyKeyValue = mergedBits(valueKind, hasEmptyKey, emptyKeyValue, key, in, aggregate);
        hasEmptyKey = true;
        return;
      }
      int mask = keys.length - 1;
      int i = (int) ((k * 0x9E3779B97F4A7C15L) >>> shift);
      while (true) {
        long at = keys[i];
        if (at == k) {
          values[i] = mergedBits(valueKind, true, values[i], key, in, aggregate);
          return;
        }
        if (at == EMPTY) {
          values[i] = mergedBits(valueKind, false, 0, key, in, aggregate);
          keys[i] = k;
          if (++size > keys.length * LOAD_FACTOR) {
            grow();
          }
          return;
        }
        i = (i + 1) & mask;
      }
    }

    private long keyBits(Object key) {
      if (keyKind == ScalarKind.LONG && key instanceof Long l) {
        return l;
      }
      if (keyKind == ScalarKind.INT && key instanceof Integer i) {
        return i;
      }
      throw new IllegalArgumentException("a key of type " + key.getClass().getName()
          + " where the encoder says " + keyKind.name().toLowerCase(Locale.ROOT));
    }

    private Object keyOf(long bits) {
      return keyKind == ScalarKind.LONG ? (Object) bits : (Object) (int) bits;
    }

    private void grow() {
      long[] oldKeys = keys;
      long[] oldValues = values;
      allocate(oldKeys.length * 2);
      int mask = keys.length - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        long k = oldKeys[j];
        if (k != EMPTY) {
          int i = (int) ((k * 0x9E3779B97F4A7C15L) >>> shift);
          while (keys[i] != EMPTY) {
            i = (i + 1) & mask;
          }
          keys[i] = k;
          values[i] = oldValues[j];
        }
      }
    }

    @Override
    int size() {
      return size + (hasEmptyKey ? 1 : 0) + (hasNullKey ? 1 : 0);
    }

    /** The table's slots, then one for the key whose bits mark an empty slot and one for null. */
    @Override
    int slots() {
      return keys.length + 2;
    }

    @Override
    boolean occupied(int slot) {
      return slot < keys.length ? keys[slot] != EMPTY : slot == keys.length ? hasEmptyKey : hasNullKey;
    }

    @Override
    Object keyAt(int slot) {
      return slot < keys.length ? keyOf(keys[slot]) : slot == keys.length ? keyOf(EMPTY) : null;
    }

    @Override
    Object aggregateAt(int slot) {
      long bits = slot < keys.length ? values[slot] : slot == keys.length ? emptyKeyValue : nullKeyValue;
      return fromBits(valueKind, bits);
    }

    @Override
    void forEach(BiConsumer<Object, Object> action) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] != EMPTY) {
          action.accept(keyOf(keys[i]), fromBits(valueKind, values[i]));
        }
      }
      if (hasEmptyKey) {
        action.accept(keyOf(EMPTY), fromBits(valueKind, emptyKeyValue));
      }
      if (hasNullKey) {
        action.accept(null, fromBits(valueKind, nullKeyValue));
      }
    }
  }

  /** The bits of {@code value} of {@code kind}, which {@code source} (for the error) says it got. */
  private static long toBits(ScalarKind kind, Object value, String source) {
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
        + value.getClass().getName() + " where the encoder says "
        + kind.name().toLowerCase(Locale.ROOT));
  }

  private static Object fromBits(ScalarKind kind, long bits) {
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
