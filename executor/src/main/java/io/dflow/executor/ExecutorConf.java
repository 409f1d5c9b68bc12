package io.dflow.executor;

import java.nio.file.Path;

/**
 * Who an executor is and what it has: its id, the host name it advertises (used for
 * locality), its task slots, the local directory for shuffle files, cached partitions and jars,
 * and how much memory its cached partitions may take.
 */
public record ExecutorConf(String executorId, String host, int slots, Path localDir, long storageMemoryBytes) {
  /** Cached partitions may take this share of the heap unless {@code dflow.storage.memoryBytes} says otherwise. */
  public static final double DEFAULT_STORAGE_FRACTION = 0.3;

  public ExecutorConf {
    if (slots < 1) {
      throw new IllegalArgumentException("an executor needs at least one slot, got " + slots);
    }
    if (storageMemoryBytes < 0) {
      throw new IllegalArgumentException("storage memory must not be negative, got " + storageMemoryBytes);
    }
  }

  /** The default storage memory of a JVM with this one's heap. */
  public static long defaultStorageMemory() {
    return (long) (Runtime.getRuntime().maxMemory() * DEFAULT_STORAGE_FRACTION);
  }
}
