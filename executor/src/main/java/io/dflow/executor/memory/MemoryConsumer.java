package io.dflow.executor.memory;

import java.io.IOException;

/**
 * Something of a task that holds execution memory and can give it back by spilling to disk: a
 * sort buffer, an aggregation table. It asks for memory in steps as it grows; a grant smaller
 * than asked means it must spill, and the task may ask it to spill at any time between records.
 */
public abstract class MemoryConsumer implements AutoCloseable {
  private final TaskMemory memory;
  private long used;

  protected MemoryConsumer(TaskMemory memory) {
    this.memory = memory;
    memory.register(this);
  }

  /** The bytes this consumer holds. */
  public final long used() {
    return used;
  }

  /** Asks for {@code bytes} more; returns what was granted (maybe less: then spill). */
  protected final long acquire(long bytes) {
    long got = memory.acquire(this, bytes);
    used += got;
    return got;
  }

  /** Gives back everything this consumer holds. */
  protected final void releaseAll() {
    memory.release(used);
    used = 0;
  }

  /** Writes what is held to disk and releases its memory. */
  public abstract void spill() throws IOException;

  /** Releases the memory and stops taking part in the task's spilling. */
  @Override
  public void close() throws IOException {
    releaseAll();
    memory.unregister(this);
  }
}
