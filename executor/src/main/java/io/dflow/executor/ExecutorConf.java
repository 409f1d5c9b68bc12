package io.dflow.executor;

import java.nio.file.Path;

/**
 * Who an executor is and what it has: its id, the host name it advertises (used for
 * locality), its task slots, the local directory for shuffle files, cached partitions and jars,
 * how much memory its cached partitions may take, and how much its tasks' sort buffers and
 * aggregation tables may take together (its execution memory).
 */
public record ExecutorConf(String executorId, String host, int slots, Path localDir, long storageMemoryBytes,
    long executionMemoryBytes) {
  /** Cached partitions may take this share of the heap unless {@code dflow.storage.memoryBytes} says otherwise. */
  public static final double DEFAULT_STORAGE_FRACTION = 0.3;
  /** Execution memory is this share of the heap unless {@code dflow.executor.memory.fraction} says otherwise. */
  public static final double DEFAULT_EXECUTION_FRACTION = 0.15;

  public ExecutorConf {
    if (slots < 1) {
      throw new IllegalArgumentException("an executor needs at least one slot, got " + slots);
    }
    if (storageMemoryBytes < 0) {
      throw new IllegalArgumentException("storage memory must not be negative, got " + storageMemoryBytes);
    }
    if (executionMemoryBytes < 1) {
      throw new IllegalArgumentException("execution memory must be positive, got " + executionMemoryBytes);
    }
  }

  /** An executor with the default share of its heap as execution memory. */
  public ExecutorConf(String executorId, String host, int slots, Path localDir, long storageMemoryBytes) {
    this(executorId, host, slots, localDir, storageMemoryBytes, heapShare(DEFAULT_EXECUTION_FRACTION));
  }

  /** The default storage memory of a JVM with this one's heap. */
  public static long defaultStorageMemory() {
    return heapShare(DEFAULT_STORAGE_FRACTION);
  }

  /** {@code fraction} of this JVM's heap, in bytes (at least 1 MiB). */
  public static long heapShare(double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("a share of the heap must be between 0 and 1, got " + fraction);
    }
    return Math.max(1 << 20, (long) (Runtime.getRuntime().maxMemory() * fraction));
  }
}
