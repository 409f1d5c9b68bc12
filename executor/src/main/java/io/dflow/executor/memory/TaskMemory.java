package io.dflow.executor.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One task's share of an executor's {@link ExecutionMemory}, and the consumers it is lent to.
 * When a consumer asks for more than the pool grants, the task's other consumers are asked to
 * spill first (the largest first), as Spark's task memory manager does; what is still missing
 * is for the asking consumer to spill. Tracks the most the task held at once.
 *
 * <p>Threading: used by its task's thread only.
 */
public final class TaskMemory implements AutoCloseable {
  private final ExecutionMemory pool;
  private final String task;
  private final long cap;
  private final List<MemoryConsumer> consumers = new ArrayList<>();
  private long held;
  private long peak;

  TaskMemory(ExecutionMemory pool, String task, long cap) {
    this.pool = pool;
    this.task = task;
    this.cap = cap;
  }

  void register(MemoryConsumer consumer) {
    consumers.add(consumer);
  }

  void unregister(MemoryConsumer consumer) {
    consumers.remove(consumer);
  }

  /** Up to {@code want} bytes for {@code requester}: others of this task spill to make room first. */
  long acquire(MemoryConsumer requester, long want) {
    long got = pool.acquire(this, want, cap);
    if (got < want) {
      List<MemoryConsumer> others = new ArrayList<>(consumers);
      others.remove(requester);
      others.sort(Comparator.comparingLong(MemoryConsumer::used).reversed());
      for (MemoryConsumer other : others) {
        if (got >= want || other.used() == 0) {
          break;
        }
        try {
          other.spill();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot spill to make memory for " + task + ": " + e.getMessage(), e);
        }
        got += pool.acquire(this, want - got, cap);
      }
    }
    held += got;
    peak = Math.max(peak, held);
    return got;
  }

  void release(long bytes) {
    long freed = Math.min(bytes, held);
    held -= freed;
    pool.release(this, freed);
  }

  /** A page for a buffer of this task, perhaps one another buffer gave back; see {@link ExecutionMemory#page}. */
  public byte[] page(int length) {
    return pool.page(length);
  }

  /** Gives back a page this task no longer reads. */
  public void recycle(byte[] page) {
    pool.recycle(page);
  }

  /** The most this task may hold, whatever its share of the pool. */
  public long cap() {
    return cap;
  }

  /** The most this task held at once. */
  public long peak() {
    return peak;
  }

  public long held() {
    return held;
  }

  @Override
  public void close() {
    pool.releaseAll(this);
    held = 0;
  }
}
