package io.dflow.executor.shuffle;

import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The values of one key too many to hold: those read ahead, then the rest taken from the merge
 * as they are iterated. Iterable once, and only until the next group is taken; either misuse is
 * an {@link IllegalStateException} saying what to do instead. Serialised (to be cached,
 * collected or shuffled again) it iterates its values into a list.
 */
final class StreamedValues implements Iterable<Object>, Serializable {
  @Serial
  private static final long serialVersionUID = 1L;
  private static final int KEY_CHARS = 80;

  private final transient StreamedGroups groups;
  private final transient Object key;
  private final transient long hash;
  private final transient List<Object> readAhead;
  private final transient Map<Object, List<Object>> others;
  private transient boolean othersQueued;
  private transient boolean iterated;
  private transient boolean passed;

  StreamedValues(StreamedGroups groups, Object key, long hash, List<Object> readAhead,
      Map<Object, List<Object>> others) {
    this.groups = groups;
    this.key = key;
    this.hash = hash;
    this.readAhead = readAhead;
    this.others = others;
  }

  Object key() {
    return key;
  }

  long hash() {
    return hash;
  }

  Map<Object, List<Object>> others() {
    return others;
  }

  boolean othersQueued() {
    return othersQueued;
  }

  void othersQueued(boolean queued) {
    othersQueued = queued;
  }

  /** The next group was taken: what was not read of this one is gone. */
  void passOver() {
    passed = true;
    readAhead.clear();
  }

  @Override
  public Iterator<Object> iterator() {
    if (passed) {
      throw passedOver();
    }
    if (iterated) {
      throw new IllegalStateException("the values of key " + keyText() + " are more than this task's execution"
          + " memory holds, so they stream from the shuffle's merge and can be iterated once; copy what a second"
          + " pass needs while iterating (or raise dflow.task.memoryBytes)");
    }
    iterated = true;
    return new Iterator<>() {
      private int at;
      private Object next = StreamedGroups.NO_VALUE;

      @Override
      public boolean hasNext() {
        if (passed) {
          throw passedOver();
        }
        if (next != StreamedGroups.NO_VALUE) {
          return true;
        }
        if (at < readAhead.size()) {
          next = readAhead.get(at);
          readAhead.set(at++, null); // held once: by the user, not here too
          return true;
        }
        next = groups.nextValueOf(StreamedValues.this);
        return next != StreamedGroups.NO_VALUE;
      }

      @Override
      public Object next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object value = next;
        next = StreamedGroups.NO_VALUE;
        return value;
      }
    };
  }

  private IllegalStateException passedOver() {
    return new IllegalStateException("the values of key " + keyText() + " stream from the shuffle's merge and"
        + " were passed over when the next key was taken: iterate a large group's values before moving on");
  }

  private String keyText() {
    String text = String.valueOf(key);
    return text.length() <= KEY_CHARS ? text : text.substring(0, KEY_CHARS) + "...";
  }

  @Serial
  private Object writeReplace() throws ObjectStreamException {
    List<Object> all = new ArrayList<>();
    for (Object value : this) {
      all.add(value);
    }
    return all;
  }

  /** The values as a list prints them, iterating them (once) if that is still possible. */
  @Override
  public String toString() {
    if (iterated || passed) {
      return "[values of key " + keyText() + ", streamed and already iterated]";
    }
    StringBuilder out = new StringBuilder("[");
    for (Object value : this) {
      out.append(out.length() == 1 ? "" : ", ").append(value);
    }
    return out.append(']').toString();
  }
}
