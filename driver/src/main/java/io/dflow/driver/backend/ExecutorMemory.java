package io.dflow.driver.backend;

import io.dflow.executor.ExecutorConf;

/**
 * How an executor shares out its heap: the bytes of cached partitions it keeps in memory
 * ({@code dflow.storage.memoryBytes}, or null for 30% of its heap) and the share of its heap its
 * tasks' sort buffers and aggregation tables may hold ({@code dflow.executor.memory.fraction}).
 */
public record ExecutorMemory(Long storageBytes, double executionFraction) {
  /** The executor's own settings, given the heap of the JVM it runs in (this one's, for an in-process executor). */
  public ExecutorConf conf(String id, String host, int slots, java.nio.file.Path localDir) {
    return new ExecutorConf(id, host, slots, localDir,
        storageBytes != null ? storageBytes : ExecutorConf.defaultStorageMemory(),
        ExecutorConf.heapShare(executionFraction));
  }
}
