package io.dflow.executor.shuffle;

import io.dflow.api.Pair;
import io.dflow.executor.memory.MemoryConsumer;
import io.dflow.executor.memory.TaskMemory;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The groups of a stream of key/value records in key-hash order (a k-way merge of sorted runs):
 * one {@code Pair(key, values)} per key. A key's values are read ahead into a list while the
 * task's execution memory grants room for them; a key whose values all fit is handed out as that
 * list (iterable any number of times, kept as long as the user likes). A key whose values do not
 * fit is handed out as {@link StreamedValues}: the values read so far, then the rest taken from
 * the merge as they are iterated, once. Taking the next group passes over what is left of a
 * streamed one. Keys that share a hash with a streamed key (rare) are held until it is done.
 *
 * <p>Threading: its task's thread only.
 */
final class StreamedGroups implements Iterator<Object> {
  /** Memory asked for at a time while a group is read ahead. */
  private static final long STEP = 64 * 1024;
  /** A list slot and the value object's header beyond {@link ObjectSizes}' estimate. */
  private static final long SLOT = 8;

  private final Iterator<Object> records;
  private final ReadAhead memory;
  private final ArrayDeque<Object> ready = new ArrayDeque<>();
  private Pair<?, ?> head;
  private long headHash;
  private StreamedValues open;

  StreamedGroups(Iterator<Object> hashOrdered, SortSettings settings) {
    this.records = hashOrdered;
    this.memory = new ReadAhead(settings.memory());
    settings.closeAtEnd().accept(memory);
    advance();
  }

  private void advance() {
    head = records.hasNext() ? Merger.asPair(records.next()) : null;
    headHash = head == null ? 0 : RecordOrder.GROUPING.prefix(head.key());
  }

  @Override
  public boolean hasNext() {
    passOpen();
    return !ready.isEmpty() || head != null;
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.isEmpty() ? readGroup() : ready.poll();
  }

  /** Reads the group at the head: whole when its values fit, else as far as memory allows. */
  private Object readGroup() {
    long hash = headHash;
    Object key = head.key();
    List<Object> values = new ArrayList<>();
    Map<Object, List<Object>> others = new LinkedHashMap<>();
    long bytes = 0;
    try {
      while (head != null && headHash == hash) {
        if (Objects.equals(head.key(), key)) {
          bytes += ObjectSizes.of(head.value()) + SLOT;
          if (!memory.cover(bytes)) {
            open = new StreamedValues(this, key, hash, values, others);
            return Pair.of(key, open);
          }
          values.add(head.value());
        } else {
          others.computeIfAbsent(head.key(), k -> new ArrayList<>()).add(head.value());
        }
        advance();
      }
    } finally {
      memory.giveBack(); // the group is the user's now
    }
    others.forEach((k, v) -> ready.add(Pair.of(k, v)));
    return Pair.of(key, values);
  }

  /** Passes over what is left of the streamed group, if any, so that the next group can be read. */
  private void passOpen() {
    if (open == null) {
      return;
    }
    StreamedValues passed = open;
    open = null;
    while (nextValueOf(passed) != NO_VALUE) {
      // skipped: the user took the next group
    }
    passed.passOver();
  }

  /** What {@link #nextValueOf} returns at the end of a group. */
  static final Object NO_VALUE = new Object();

  /**
   * The next value of {@code group}'s key from the merge, or {@link #NO_VALUE} at its end; the
   * records of other keys of its hash met on the way are set aside as groups of their own.
   */
  Object nextValueOf(StreamedValues group) {
    while (head != null && headHash == group.hash()) {
      Pair<?, ?> record = head;
      advance();
      if (Objects.equals(record.key(), group.key())) {
        return record.value();
      }
      group.others().computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
    }
    if (open == group) {
      open = null;
    }
    if (!group.othersQueued()) {
      group.others().forEach((k, v) -> ready.add(Pair.of(k, v)));
      group.othersQueued(true);
    }
    return NO_VALUE;
  }

  /** The memory a group's values are read ahead into; it cannot spill, so it holds memory only while reading ahead. */
  private static final class ReadAhead extends MemoryConsumer implements Closeable {
    ReadAhead(TaskMemory memory) {
      super(memory);
    }

    /** Whether {@code bytes} are held, asking for steps of memory as needed (a short grant ends the read-ahead). */
    boolean cover(long bytes) {
      while (used() < bytes) {
        if (acquire(STEP) < STEP) {
          return false;
        }
      }
      return true;
    }

    void giveBack() {
      releaseAll();
    }

    @Override
    public void spill() throws IOException {
      // nothing to write: a group read ahead is handed out as soon as memory runs short
    }
  }
}
