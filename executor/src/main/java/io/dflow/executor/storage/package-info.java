/**
 * Partitions kept on an executor: the {@link io.dflow.executor.storage.BlockStore} of persisted
 * datasets (encoded as Arrow segments, in memory under a bound, least recently used out, or on
 * local disk), the {@link io.dflow.executor.storage.PartitionBuffer} a partition is kept in (also
 * by a task that reads one partition twice), and the
 * {@link io.dflow.executor.storage.BroadcastCache} of values fetched from the driver.
 *
 * <p>Threading: the block store and the broadcast cache are shared by all tasks and
 * thread-safe; a buffer is immutable once written and may be read by several readers at once.
 */
package io.dflow.executor.storage;
