package io.dflow.executor.shuffle;

import io.dflow.api.Pair;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * A k-way merge of sorted runs of key/value records into one sorted stream, by a
 * {@link RecordOrder}; ties go to the earlier run, so the merge is stable. Each run is read
 * lazily: only its head record is held.
 */
final class MergeIterator implements Iterator<Object> {
  private record Head(Pair<?, ?> record, long prefix, int run) {}

  private final List<? extends Iterator<Object>> runs;
  private final RecordOrder order;
  private final Comparator<Head> byOrder;
  /** The heads of every run but {@link #current}'s. */
  private final PriorityQueue<Head> heads;
  /** The least head, kept out of the queue: while its run keeps supplying the least record, the queue is not touched. */
  private Head current;
  private long lastPrefix;

  MergeIterator(List<? extends Iterator<Object>> runs, RecordOrder order) {
    this.runs = runs;
    this.order = order;
    this.byOrder = (x, y) -> {
      int c = order.compare(x.record().key(), x.prefix(), y.record().key(), y.prefix());
      return c != 0 ? c : Integer.compare(x.run(), y.run());
    };
    this.heads = new PriorityQueue<>(Math.max(1, runs.size()), byOrder);
    for (int i = 0; i < runs.size(); i++) {
      Head head = headOf(i);
      if (head != null) {
        heads.add(head);
      }
    }
    current = heads.poll();
  }

  private Head headOf(int run) {
    Iterator<Object> it = runs.get(run);
    if (!it.hasNext()) {
      return null;
    }
    Pair<?, ?> record = Merger.asPair(it.next());
    return new Head(record, order.prefix(record.key()), run);
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
    lastPrefix = head.prefix();
    Head following = headOf(head.run());
    if (following == null) {
      current = heads.poll();
    } else {
      Head least = heads.peek();
      if (least == null || byOrder.compare(following, least) <= 0) {
        current = following; // sorted runs often continue with the least record: one comparison
      } else {
        heads.add(following);
        current = heads.poll();
      }
    }
    return head.record();
  }

  /** The order prefix of the record {@link #next()} returned last. */
  long lastPrefix() {
    return lastPrefix;
  }
}
