package io.dflow.executor.memory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * An executor's execution memory: what its running tasks' sort buffers and aggregation tables
 * may hold, in bytes. Shared fairly, as Spark's execution pool is: with N tasks holding (or
 * asking for) memory,
 * a task may hold at most {@code pool / N} (and at most its own cap), and one that holds less than
 * {@code pool / 2N} waits for memory to come free rather than spill tiny runs. A grant smaller
 * than asked tells the caller to spill.
 *
 * <p>It also keeps the sort pages that finished buffers give back, for the next buffer to fill:
 * a page that lives on in the old generation costs the collector nothing, where a fresh one per
 * task is copied while its task runs and, dead, grows the heap until a full collection. Free
 * pages and what the tasks hold stay within the pool together.
 *
 * <p>Threading: thread-safe; {@link #acquire} may block.
 */
public final class ExecutionMemory {
  private final long pool;
  private final Map<TaskMemory, Long> held = new HashMap<>();
  private final Map<Integer, ArrayDeque<byte[]>> freePages = new HashMap<>();
  private long used;
  private long freePageBytes;

  /** @param pool bytes the tasks of this executor may hold together */
  public ExecutionMemory(long pool) {
    if (pool < 1) {
      throw new IllegalArgumentException("execution memory must be positive, got " + pool);
    }
    this.pool = pool;
  }

  public long pool() {
    return pool;
  }

  /** Memory for one task, at most {@code cap} bytes of it; close it when the task ends. */
  public TaskMemory forTask(String task, long cap) {
    return new TaskMemory(this, task, cap);
  }

  /** Bytes held by every task together. */
  public synchronized long used() {
    return used;
  }

  synchronized long acquire(TaskMemory task, long want, long cap) {
    held.putIfAbsent(task, 0L);
    while (true) {
      int tasks = held.size();
      long mine = held.get(task);
      long maxShare = Math.min(cap, pool / tasks);
      long minShare = Math.min(cap, pool / (2L * tasks));
      long grant = Math.max(0, Math.min(Math.min(want, maxShare - mine), pool - used));
      if (grant < want && mine + grant < minShare) {
        try {
          wait(); // others hold more than their share: wait for some to be released
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 0;
        }
        continue;
      }
      held.put(task, mine + grant);
      used += grant;
      dropPagesBeyondThePool();
      return grant;
    }
  }

  synchronized void release(TaskMemory task, long bytes) {
    Long mine = held.get(task);
    if (mine == null || bytes <= 0) {
      return;
    }
    long freed = Math.min(bytes, mine);
    if (mine - freed == 0) {
      held.remove(task); // a task holding nothing does not shrink the others' shares
    } else {
      held.put(task, mine - freed);
    }
    used -= freed;
    notifyAll();
  }

  synchronized void releaseAll(TaskMemory task) {
    Long mine = held.remove(task);
    if (mine != null) {
      used -= mine;
    }
    notifyAll();
  }

  /** A page of {@code length} bytes: one given back if there is one (holding its old bytes), else a new one. */
  public synchronized byte[] page(int length) {
    ArrayDeque<byte[]> free = freePages.get(length);
    byte[] page = free == null ? null : free.poll();
    if (page == null) {
      return new byte[length];
    }
    freePageBytes -= length;
    return page;
  }

  /** Keeps {@code page} for a later {@link #page} if it fits in the pool beside what the tasks hold. */
  public synchronized void recycle(byte[] page) {
    if (used + freePageBytes + page.length <= pool) {
      freePages.computeIfAbsent(page.length, n -> new ArrayDeque<>()).push(page);
      freePageBytes += page.length;
    }
  }

  /** Bytes of free pages kept. */
  public synchronized long freePageBytes() {
    return freePageBytes;
  }

  private void dropPagesBeyondThePool() {
    var sizes = freePages.values().iterator();
    while (used + freePageBytes > pool && sizes.hasNext()) {
      ArrayDeque<byte[]> free = sizes.next();
      while (used + freePageBytes > pool && !free.isEmpty()) {
        freePageBytes -= free.pop().length;
      }
      if (free.isEmpty()) {
        sizes.remove();
      }
    }
  }
}
