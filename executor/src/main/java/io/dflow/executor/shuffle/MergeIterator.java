package io.dflow.executor.shuffle;

import io.dflow.api.Pair;
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
  private final PriorityQueue<Head> heads;
  private long lastPrefix;

  MergeIterator(List<? extends Iterator<Object>> runs, RecordOrder order) {
    this.runs = runs;
    this.order = order;
    this.heads = new PriorityQueue<>(Math.max(1, runs.size()), (x, y) -> {
      int c = order.compare(x.record().key(), x.prefix(), y.record().key(), y.prefix());
      return c != 0 ? c : Integer.compare(x.run(), y.run());
    });
    for (int i = 0; i < runs.size(); i++) {
      advance(i);
    }
  }

  private void advance(int run) {
    Iterator<Object> it = runs.get(run);
    if (it.hasNext()) {
      Pair<?, ?> record = Merger.asPair(it.next());
      heads.add(new Head(record, order.prefix(record.key()), run));
    }
  }

  @Override
  public boolean hasNext() {
    return !heads.isEmpty();
  }

  @Override
  public Object next() {
    Head head = heads.poll();
    if (head == null) {
      throw new NoSuchElementException();
    }
    lastPrefix = head.prefix();
    advance(head.run());
    return head.record();
  }

  /** The order prefix of the record {@link #next()} returned last. */
  long lastPrefix() {
    return lastPrefix;
  }
}
