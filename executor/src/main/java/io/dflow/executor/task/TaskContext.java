package io.dflow.executor.task;

import io.dflow.api.Encoder;
import io.dflow.arrow.Allocators;
import io.dflow.arrow.DeserializationPolicy;
import io.dflow.arrow.SegmentReader;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.executor.shuffle.ShuffleReader;
import io.dflow.executor.protocol.ControlMessage.LaunchTask;
import io.dflow.executor.protocol.TaskMetrics;
import io.dflow.executor.shuffle.ShuffleFetcher;
import io.dflow.executor.shuffle.ShuffleStore;
import io.dflow.planner.TaskSpec;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.hadoop.conf.Configuration;

/**
 * What one running task has: its launch message and spec, the job's class loader, its own Arrow
 * allocator (closed with the task; a leak fails the task), the executor's shuffle store and
 * fetcher, and counters. The allocator and the Hadoop configuration are made on first use, so
 * a task over an in-memory collection starts in microseconds.
 */
final class TaskContext implements AutoCloseable {
  static final long DEFAULT_TASK_MEMORY = 1L << 30;

  final LaunchTask launch;
  final TaskSpec spec;
  final ClassLoader loader;
  final ShuffleStore shuffleStore;
  final ShuffleFetcher fetcher;
  private final Supplier<Configuration> hadoopConf;
  private BufferAllocator allocator;
  private final List<Closeable> inputs = new ArrayList<>();
  long recordsOut;
  long inputBytes;
  long shuffleBytesRead;
  long shuffleBytesWritten;

  TaskContext(LaunchTask launch, TaskSpec spec, ClassLoader loader, ShuffleStore shuffleStore,
      ShuffleFetcher fetcher, Supplier<Configuration> hadoopConf) {
    this.launch = launch;
    this.spec = spec;
    this.loader = loader;
    this.shuffleStore = shuffleStore;
    this.fetcher = fetcher;
    this.hadoopConf = hadoopConf;
  }

  /** The Hadoop configuration, built on first use: a task that touches no file never pays for it. */
  Configuration hadoop() {
    return hadoopConf.get();
  }

  /** This task's Arrow allocator, created on first use and closed with the task. */
  BufferAllocator allocator() {
    if (allocator == null) {
      long limit = Long.parseLong(conf("dflow.task.memoryBytes", String.valueOf(DEFAULT_TASK_MEMORY)));
      allocator = Allocators.forTask(launch.attempt().toString(), limit);
    }
    return allocator;
  }

  String conf(String key, String fallback) {
    return launch.conf().getOrDefault(key, fallback).trim();
  }

  /** Registers an input to close when the task ends. */
  <T extends Closeable> T closeLater(T input) {
    inputs.add(input);
    return input;
  }

  /** Decodes shuffle segments of {@code encoder}'s records with this task's allocator and class loader. */
  ShuffleReader.SegmentDecoder segmentDecoder(Encoder<?> encoder) {
    DeserializationPolicy policy = new DeserializationPolicy(loader, JavaSerde.filter(loader));
    return (segment, sink) -> {
      try (SegmentReader reader = SegmentReader.open(segment, encoder, allocator(), policy)) {
        reader.forEachRemaining(sink);
      }
    };
  }

  TaskMetrics metrics(long runMillis) {
    return new TaskMetrics(recordsOut, inputBytes, shuffleBytesRead, shuffleBytesWritten, runMillis);
  }

  void closeInputs() throws IOException {
    IOException first = null;
    for (Closeable input : inputs) {
      try {
        input.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    inputs.clear();
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      closeInputs();
    } finally {
      if (allocator != null) {
        allocator.close();
      }
    }
  }
}
