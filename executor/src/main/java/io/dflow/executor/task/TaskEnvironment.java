package io.dflow.executor.task;

import io.dflow.executor.ClassLoaderSource;
import io.dflow.executor.memory.ExecutionMemory;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.shuffle.BlockFetcher;
import io.dflow.executor.shuffle.ShuffleStore;
import io.dflow.executor.storage.BlockStore;
import io.dflow.executor.storage.BroadcastCache;
import io.dflow.executor.protocol.TaskAttempt;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * What every task of one executor shares: its job class loaders, its shuffle outputs and cached
 * partitions, the broadcast values it has fetched, the fetcher for other executors' blocks, its
 * execution memory, and a scratch folder for what a task keeps or spills while it runs.
 *
 * @param keepInMemoryBytes how much of a partition a task keeps in memory before it spills the
 *     rest to its scratch folder
 * @param statuses where a running task's status messages go (to the driver's progress display)
 * @param rank what a task has when it runs as an MPI rank, or null in an executor
 */
public record TaskEnvironment(ExecutorId executor, ClassLoaderSource loaders, ShuffleStore shuffles,
    BlockStore blocks, BroadcastCache broadcasts, BlockFetcher fetcher, ExecutionMemory memory, Path scratch,
    long keepInMemoryBytes, BiConsumer<TaskAttempt, String> statuses,
    RankServices rank) {}
