package io.dflow.api;

/**
 * Where {@link Dataset#persist} keeps a dataset's partitions on the executors that computed
 * them. Partitions are stored encoded (the dataset's encoder, as Arrow batches), so their size
 * is known exactly and counts against {@code dflow.storage.memoryBytes}.
 */
public enum StorageLevel {
  /** In memory; a partition that does not fit, or is evicted, is recomputed from its lineage when needed. */
  MEMORY,
  /** In memory, moved to local disk when evicted or when it does not fit. */
  MEMORY_AND_DISK,
  /** On local disk only. */
  DISK
}
