package io.dflow.driver.scheduler;

import java.util.Arrays;

/**
 * A {@link Simulation}'s running attempts, the first to end first (then the lowest attempt id):
 * a binary heap whose keys sit in arrays of their own, so ordering a hundred thousand entries
 * does not touch the entries themselves.
 */
final class SimulationEndQueue<E> {
  private long[] at = new long[1024];
  private long[] ids = new long[1024];
  private Object[] entries = new Object[1024];
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  /** When the first entry ends; only when not empty. */
  long firstAt() {
    return at[0];
  }

  void add(long when, long id, E entry) {
    if (size == entries.length) {
      at = Arrays.copyOf(at, 2 * size);
      ids = Arrays.copyOf(ids, 2 * size);
      entries = Arrays.copyOf(entries, 2 * size);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(when, id, at[parent], ids[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    put(i, when, id, entry);
  }

  /** Takes the first entry off; only when not empty. */
  @SuppressWarnings("unchecked")
  E poll() {
    E first = (E) entries[0];
    size--;
    long lastAt = at[size];
    long lastId = ids[size];
    Object last = entries[size];
    entries[size] = null;
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && before(at[child + 1], ids[child + 1], at[child], ids[child])) {
        child++;
      }
      if (!before(at[child], ids[child], lastAt, lastId)) {
        break;
      }
      move(child, i);
      i = child;
    }
    if (size > 0) {
      put(i, lastAt, lastId, last);
    }
    return first;
  }

  private static boolean before(long when, long id, long otherWhen, long otherId) {
    return when != otherWhen ? when < otherWhen : id < otherId;
  }

  private void move(int from, int to) {
    at[to] = at[from];
    ids[to] = ids[from];
    entries[to] = entries[from];
  }

  private void put(int slot, long when, long id, Object entry) {
    at[slot] = when;
    ids[slot] = id;
    entries[slot] = entry;
  }
}
