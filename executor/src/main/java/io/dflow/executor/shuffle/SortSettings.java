package io.dflow.executor.shuffle;

import io.dflow.arrow.Compression;
import io.dflow.arrow.DeserializationPolicy;
import io.dflow.executor.memory.TaskMemory;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a task's sorters share: its execution memory, where its spill files go, how they are
 * compressed, how Java-serialised fields are read back, the spill counters it reports, and the
 * task's list of what to close when it ends (a sorter whose output is read lazily).
 */
public record SortSettings(TaskMemory memory, Supplier<Path> spillFiles, Compression compression,
    DeserializationPolicy policy, SpillMetrics metrics, Consumer<Closeable> closeAtEnd) {}
