package io.dflow.executor.shuffle;

import io.dflow.api.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Records handed out one bucket at a time, where a bucket is the records of one key hash taken
 * from inputs in hash order (the keys within it told apart by equality); only one bucket is held.
 */
abstract class BucketIterator implements Iterator<Object> {
  private Iterator<Object> bucket = Collections.emptyIterator();

  /** The records of the next bucket, or null when there are no more. */
  abstract List<Object> nextBucket();

  /** One {@code Pair(key, value)} per entry, in the map's order. */
  static List<Object> pairs(Map<?, ?> byKey) {
    List<Object> out = new ArrayList<>(byKey.size());
    byKey.forEach((k, v) -> out.add(Pair.of(k, v)));
    return out;
  }

  @Override
  public final boolean hasNext() {
    while (!bucket.hasNext()) {
      List<Object> next = nextBucket();
      if (next == null) {
        return false;
      }
      bucket = next.iterator();
    }
    return true;
  }

  @Override
  public final Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return bucket.next();
  }
}
