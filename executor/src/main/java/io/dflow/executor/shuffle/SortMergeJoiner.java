package io.dflow.executor.shuffle;

import io.dflow.api.Pair;
import io.dflow.api.plan.Join;
import io.dflow.api.plan.ShuffleSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A sort-merge join of one partition: two key/value inputs sorted by the same key order walked
 * in step. A key found on both sides has its right values gathered in {@link KeyValues} (in
 * memory while the task's execution memory allows, then on disk), and each left value of that
 * key is paired with them as it passes; keys found on one side only pass through one record at a
 * time (kept by an outer join, dropped by an inner one). So the left side streams and only one
 * key's right values are held. Null keys, which a key order cannot place, are set aside as they
 * are met, each side's in a {@link KeyValues} of its own (so on disk when memory runs short), and
 * joined once both inputs are done: null equals null, as in a hash join.
 *
 * <p>Threading: its task's thread only.
 */
public final class SortMergeJoiner implements Iterator<Object> {
  private static final Object NONE = new Object();

  private final Join join;
  private final RecordOrder order;
  private final Side left;
  private final Side right;
  private final KeyValues rightValues;
  private Object key;
  private long keyPrefix;
  private boolean matching;
  private Object leftValue;
  private Iterator<Object> pairing;
  private Iterator<Object> nullLefts;
  private Object nullLeft = NONE;
  private Iterator<Object> nullRights = Collections.emptyIterator();
  private Object next = NONE;

  /**
   * @param order the left input's sort-within-partitions spec, whose key order both inputs are
   *     sorted by, and whose value encoder its set-aside null-key values spill in
   * @param rightSpec the right input's spec, for the layout its held values spill in
   */
  public SortMergeJoiner(Join join, ShuffleSpec order, ShuffleSpec rightSpec, Iterator<Object> left,
      Iterator<Object> right, SortSettings settings) {
    this.join = join;
    this.order = RecordOrder.of(order);
    this.rightValues = held(settings, rightSpec);
    this.left = new Side(left, held(settings, order));
    this.right = new Side(right, held(settings, rightSpec));
  }

  private static KeyValues held(SortSettings settings, ShuffleSpec spec) {
    KeyValues values = new KeyValues(settings, spec.valueEncoder());
    settings.closeAtEnd().accept(values);
    return values;
  }

  /** One input with its next record of a non-null key looked at; records of null keys are set aside. */
  private final class Side {
    private final Iterator<Object> records;
    private final KeyValues nullKeyValues;
    private Pair<?, ?> head;
    private long prefix;

    Side(Iterator<Object> records, KeyValues nullKeyValues) {
      this.records = records;
      this.nullKeyValues = nullKeyValues;
      advance();
    }

    void advance() {
      while (records.hasNext()) {
        Pair<?, ?> record = Merger.asPair(records.next());
        if (record.key() == null) {
          try {
            nullKeyValues.add(record.value());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          continue;
        }
        head = record;
        prefix = order.prefix(record.key());
        return;
      }
      head = null;
    }

    boolean hasKey(Object k, long p) {
      return head != null && order.compare(head.key(), prefix, k, p) == 0;
    }
  }

  @Override
  public boolean hasNext() {
    if (next == NONE) {
      try {
        next = advance();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return next != NONE;
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Object out = next;
    next = NONE;
    return out;
  }

  private Object advance() throws IOException {
    while (true) {
      if (pairing != null) {
        if (pairing.hasNext()) {
          return Pair.of(key, join.both(leftValue, pairing.next()));
        }
        pairing = null;
      }
      if (matching) {
        if (left.hasKey(key, keyPrefix)) {
          leftValue = left.head.value();
          left.advance();
          pairing = rightValues.values();
          continue;
        }
        matching = false;
        rightValues.clear();
      }
      if (left.head == null && right.head == null) {
        return nullKeysJoined();
      }
      int c = left.head == null ? 1 : right.head == null ? -1
          : order.compare(left.head.key(), left.prefix, right.head.key(), right.prefix);
      if (c < 0) {
        Pair<?, ?> only = left.head;
        left.advance();
        if (join.keepsLeftOnly()) {
          return Pair.of(only.key(), join.leftOnly(only.value()));
        }
      } else if (c > 0) {
        Pair<?, ?> only = right.head;
        right.advance();
        if (join.keepsRightOnly()) {
          return Pair.of(only.key(), join.rightOnly(only.value()));
        }
      } else {
        key = right.head.key();
        keyPrefix = right.prefix;
        while (right.hasKey(key, keyPrefix)) {
          rightValues.add(right.head.value());
          right.advance();
        }
        matching = true;
      }
    }
  }

  /**
   * The join of the null keys set aside, once both inputs are done: each left value against
   * every right one (read again from the start for each), or one side alone when the other has
   * none and the join keeps that side.
   */
  private Object nullKeysJoined() throws IOException {
    KeyValues lefts = left.nullKeyValues;
    KeyValues rights = right.nullKeyValues;
    if (nullLefts == null) {
      boolean alone = lefts.size() == 0 || rights.size() == 0;
      nullLefts = !alone || join.keepsLeftOnly() ? lefts.values() : Collections.emptyIterator();
      if (lefts.size() == 0 && join.keepsRightOnly()) {
        nullRights = rights.values();
      }
    }
    while (true) {
      if (nullRights.hasNext()) {
        Object w = nullRights.next();
        return Pair.of(null, nullLeft == NONE ? join.rightOnly(w) : join.both(nullLeft, w));
      }
      if (!nullLefts.hasNext()) {
        return NONE;
      }
      nullLeft = nullLefts.next();
      if (rights.size() == 0) {
        return Pair.of(null, join.leftOnly(nullLeft));
      }
      nullRights = rights.values();
    }
  }
}
