package io.dflow.executor.shuffle;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

/** The elements {@code get(from)} to {@code get(to - 1)}, made as they are read: a read-out of rows held by position. */
final class RangeIterator<T> implements Iterator<T> {
  private final IntFunction<T> get;
  private final int to;
  private int at;

  RangeIterator(int from, int to, IntFunction<T> get) {
    this.at = from;
    this.to = to;
    this.get = get;
  }

  @Override
  public boolean hasNext() {
    return at < to;
  }

  @Override
  public T next() {
    if (at >= to) {
      throw new NoSuchElementException();
    }
    return get.apply(at++);
  }
}
