package io.dflow.executor.shuffle;

import io.dflow.api.Pair;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A k-way merge of sorted runs of key/value records into one sorted stream, by a
 * {@link RecordOrder}; ties go to the earlier run, so the merge is stable. Each run is read
 * lazily: only its head record is held, in a cursor of its own that is reused for every record
 * of the run (a merge moves tens of millions of records, and an object per record was a
 * noticeable share of a map task's allocation).
 */
final class MergeIterator implements Iterator<Object> {
  /** A run's cursor: its head record and that record's order prefix. */
  private static final class Head {
    final Iterator<Object> source;
    final int run;
    Pair<?, ?> record;
    long prefix;

    Head(Iterator<Object> source, int run) {
      this.source = source;
      this.run = run;
    }
  }

  private final RecordOrder order;
  /** A binary min-heap of the heads of every run but {@link #current}'s, {@code [0, size)}. */
  private final Head[] heap;
  private int size;
  /** The least head, kept out of the heap: while its run keeps supplying the least record, the heap is not touched. */
  private Head current;
  private long lastPrefix;

  MergeIterator(List<? extends Iterator<Object>> runs, RecordOrder order) {
    this.order = order;
    this.heap = new Head[runs.size()];
    for (int i = 0; i < runs.size(); i++) {
      Head head = new Head(runs.get(i), i);
      if (advance(head)) {
        heap[size++] = head;
      }
    }
    for (int i = size / 2 - 1; i >= 0; i--) {
      siftDown(i);
    }
    current = size == 0 ? null : pollLeast();
  }

  /** Moves {@code head} to its run's next record; false (dropping the record held) at the run's end. */
  private boolean advance(Head head) {
    if (!head.source.hasNext()) {
      head.record = null;
      return false;
    }
    Pair<?, ?> record = Merger.asPair(head.source.next());
    head.record = record;
    head.prefix = order.prefix(record.key());
    return true;
  }

  /** Whether {@code x} comes before {@code y}: by the order, then by run. */
  private boolean before(Head x, Head y) {
    int c = order.compare(x.record.key(), x.prefix, y.record.key(), y.prefix);
    return c != 0 ? c < 0 : x.run < y.run;
  }

  private Head pollLeast() {
    Head least = heap[0];
    heap[0] = heap[--size];
    heap[size] = null;
    if (size > 0) {
      siftDown(0);
    }
    return least;
  }

  private void siftDown(int at) {
    Head moving = heap[at];
    int half = size >>> 1;
    while (at < half) {
      int child = 2 * at + 1;
      int right = child + 1;
      if (right < size && before(heap[right], heap[child])) {
        child = right;
      }
      if (!before(heap[child], moving)) {
        break;
      }
      heap[at] = heap[child];
      at = child;
    }
    heap[at] = moving;
  }

  @Override
  public boolean hasNext() {
    return current != null;
  }

  @Override
  public Object next() {
    Head head = current;
    if (head == null) {
      throw new NoSuchElementException();
    }
    Object record = head.record;
    lastPrefix = head.prefix;
    if (!advance(head)) {
      current = size == 0 ? null : pollLeast();
    } else if (size > 0 && before(heap[0], head)) {
      // another run holds the least record now: it leaves the heap and this run's head takes its place
      current = heap[0];
      heap[0] = head;
      siftDown(0);
    } // else sorted runs often continue with the least record: one comparison
    return record;
  }

  /** The order prefix of the record {@link #next()} returned last. */
  long lastPrefix() {
    return lastPrefix;
  }
}
