package io.dflow.executor.task;

import io.dflow.api.Encoder;
import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.TaskInfo;
import io.dflow.api.plan.TaskScope;
import io.dflow.arrow.Allocators;
import io.dflow.arrow.DeserializationPolicy;
import io.dflow.arrow.SegmentReader;
import io.dflow.executor.protocol.BlockUpdate;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.TaskAttempt;
import io.dflow.executor.protocol.TaskMetrics;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.arrow.Compression;
import io.dflow.executor.memory.TaskMemory;
import io.dflow.executor.shuffle.ShuffleReader;
import io.dflow.executor.shuffle.SortSettings;
import io.dflow.executor.shuffle.SpillMetrics;
import io.dflow.executor.storage.PartitionBuffer;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.hadoop.conf.Configuration;

/**
 * What one running task has: its stage and launch, the job's class loader, its own Arrow
 * allocator (closed with the task; a leak fails the task), the executor's shared
 * {@link TaskEnvironment}, and what it reports: metrics, counters, cached partitions it stored.
 * The allocator, the Hadoop configuration and the scratch folder are made on first use, so a
 * task over an in-memory collection starts in microseconds. It is also the task's
 * {@link TaskScope.Services}: broadcast values and counter additions of user code go here.
 *
 * <p>Threading: used by the task's own thread only.
 */
final class TaskContext implements TaskScope.Services, AutoCloseable {
  /** The most execution memory one task may hold unless {@code dflow.task.memoryBytes} says otherwise. */
  static final long DEFAULT_TASK_MEMORY = 1L << 30;
  /** Arrow memory a task may hold: one batch at a time is written or read, so this is never near. */
  static final long ARROW_LIMIT = 1L << 30;
  static final long DEFAULT_BYTES_IN_FLIGHT = 48L << 20;
  private static final AtomicLong SPILLS = new AtomicLong();

  final TaskEnvironment env;
  final RegisterStage stage;
  final TaskLaunch launch;
  final ClassLoader loader;
  private final Supplier<Configuration> hadoopConf;
  private BufferAllocator allocator;
  private DeserializationPolicy policy;
  private Path scratch;
  private SortSettings sortSettings;
  private TaskMemory memory;
  private final SpillMetrics spills = new SpillMetrics();
  private final List<Closeable> closeables = new ArrayList<>();
  /** Concurrent: a child process's counters may be added by the pump thread of the process downstream of it. */
  final Map<String, Long> counters = new ConcurrentHashMap<>();
  private final boolean mapSide;
  /** Records read from its sources or written to its sinks so far: how the watchdog sees it progress. */
  private final AtomicLong progress = new AtomicLong();
  /** The slot thread running the task (the context is made on it). */
  private final Thread thread = Thread.currentThread();
  /** What the task runs beside its thread (child processes): killed with it. */
  private final java.util.Queue<Closeable> killable = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile String killed;
  private volatile boolean killedByDriver;
  private FileSplit split;
  private Supplier<String> position;
  private Path workDir;
  final List<BlockUpdate> blockUpdates = new ArrayList<>();
  long recordsOut;
  long inputBytes;
  long shuffleBytesRead;
  long shuffleBytesWritten;
  long shuffleRawBytesWritten;
  private long shuffleRawBytesRead;

  /** Where this attempt asks whether it may commit its output; set by the runner. */
  CommitGate commitGate = CommitGate.ALWAYS;

  TaskContext(TaskEnvironment env, RegisterStage stage, TaskLaunch launch, ClassLoader loader,
      Supplier<Configuration> hadoopConf, boolean mapSide) {
    this.env = env;
    this.stage = stage;
    this.launch = launch;
    this.loader = loader;
    this.hadoopConf = hadoopConf;
    this.mapSide = mapSide;
  }

  /** The task reads {@code split}; {@code position} says where its last line came from. */
  void reading(FileSplit split, Supplier<String> position) {
    this.split = split;
    this.position = position;
  }

  int partition() {
    return launch.attempt().partition();
  }

  /** The Hadoop configuration, built on first use: a task that touches no file never pays for it. */
  Configuration hadoop() {
    return hadoopConf.get();
  }

  /** This task's Arrow allocator, created on first use and closed with the task. */
  BufferAllocator allocator() {
    if (allocator == null) {
      allocator = Allocators.forTask(launch.attempt().toString(), ARROW_LIMIT);
    }
    return allocator;
  }

  DeserializationPolicy policy() {
    if (policy == null) {
      policy = new DeserializationPolicy(loader, JavaSerde.filter(loader));
    }
    return policy;
  }

  String conf(String key, String fallback) {
    return stage.conf().getOrDefault(key, fallback).trim();
  }

  /** Registers something to close when the task ends. */
  <T extends Closeable> T closeLater(T resource) {
    closeables.add(resource);
    return resource;
  }

  /** Opens fetched shuffle segments of {@code encoder}'s records with this task's allocator and class loader. */
  ShuffleReader.SegmentOpener segmentOpener(Encoder<?> encoder) {
    return segment -> {
      SegmentReader reader = SegmentReader.open(segment, encoder, allocator(), policy());
      shuffleRawBytesRead += reader.rawBytes();
      return reader;
    };
  }

  /** How many bytes of shuffle segments a reducer fetches at once ({@code dflow.shuffle.maxBytesInFlight}). */
  long maxBytesInFlight() {
    return Long.parseLong(conf("dflow.shuffle.maxBytesInFlight", String.valueOf(DEFAULT_BYTES_IN_FLIGHT)));
  }

  /** The setting naming the size past which another executor's shuffle segment is fetched to disk. */
  static final String FETCH_TO_MEM_KEY = "dflow.shuffle.maxRemoteBlockSizeFetchToMem";
  private static final long DEFAULT_FETCH_TO_MEM = 200L << 20;

  /** Bytes past which another executor's shuffle segment is fetched to disk ({@value #FETCH_TO_MEM_KEY}). */
  long maxRemoteBlockSizeFetchToMem() {
    return Long.parseLong(conf(FETCH_TO_MEM_KEY, String.valueOf(DEFAULT_FETCH_TO_MEM)));
  }

  void addShuffleBytesRead(long bytes) {
    shuffleBytesRead += bytes;
  }

  /** What this task's sorters share, made on first use: its execution memory, spill files and their codec. */
  SortSettings sortSettings() {
    if (sortSettings == null) {
      long cap = Long.parseLong(conf("dflow.task.memoryBytes", String.valueOf(DEFAULT_TASK_MEMORY)));
      memory = env.memory().forTask(launch.attempt().toString(), cap);
      sortSettings = new SortSettings(memory, this::spillFile,
          Compression.named(conf(Compression.KEY, "lz4")), policy(), spills, this::closeLater);
    }
    return sortSettings;
  }

  /** Keeps {@code records} for several readers in a buffer of this task, in memory up to a bound, then in its scratch folder. */
  PartitionBuffer keep(Iterator<Object> records, Encoder<?> encoder, long memoryLimit) throws IOException {
    return PartitionBuffer.write(records, encoder, allocator(), memoryLimit, this::spillFile);
  }

  /** Reads a kept or cached partition; the reader is closed with the task if not before. */
  Iterator<Object> read(PartitionBuffer buffer) throws IOException {
    SegmentReader reader = buffer.read(allocator(), policy());
    closeLater(reader::close);
    return reader;
  }

  /** A fresh file in this task's scratch folder. */
  Path spillFile() {
    return scratchFolder("task-" + launch.attempt().taskId()).resolve("kept-" + SPILLS.incrementAndGet());
  }

  /** {@code relative} in the executor's scratch folder, made if missing; the first one made is deleted with the task. */
  private Path scratchFolder(String relative) {
    try {
      Path dir = Files.createDirectories(env.scratch().resolve(relative));
      if (scratch == null) {
        scratch = dir;
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a scratch folder for " + launch.attempt() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Object broadcastValue(long id) {
    try {
      return env.broadcasts().value(id, loader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void addToCounter(String name, long delta) {
    counters.merge(name, delta, Long::sum);
  }

  @Override
  public TaskInfo task() {
    TaskAttempt a = launch.attempt();
    return new TaskInfo(a.stage().stage().value(), a.partition(), a.attempt(), mapSide || split != null, split);
  }

  @Override
  public void setStatus(String message) {
    env.statuses().accept(launch.attempt(), message);
  }

  @Override
  public String inputPosition() {
    return position == null ? null : position.get();
  }

  @Override
  public Path workDir() {
    if (workDir == null) {
      scratchFolder("task-" + launch.attempt().taskId());
      workDir = scratchFolder("task-" + launch.attempt().taskId() + "/work");
    }
    return workDir;
  }

  @Override
  public Path sharedDir() {
    return env.scratch();
  }

  @Override
  public Iterator<Object> mapBatches(Iterator<Object> input, io.dflow.api.plan.BatchStep step) {
    return new BatchMapper(input, step, this);
  }

  @Override
  public void closeAtEnd(Closeable resource) {
    closeLater(resource);
    killable.add(resource);
  }

  @Override
  public io.dflow.api.mpi.Communicator communicator() {
    return env.rank() == null ? null : env.rank().communicator();
  }

  /** Counts one record read or written (from any of the task's threads: a lost count only delays a kill). */
  void progressed() {
    progress.lazySet(progress.get() + 1);
  }

  long progress() {
    return progress.get() + (env.rank() == null ? 0 : env.rank().activity().getAsLong());
  }

  /** {@code records}, each one counted as progress as it is taken. */
  Iterator<Object> counting(Iterator<Object> records) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public Object next() {
        Object next = records.next();
        progressed();
        return next;
      }
    };
  }

  /**
   * Stops the task from another thread: its child processes are killed and its thread
   * interrupted; {@code byDriver} for a kill the driver asked for (the attempt ends as killed,
   * not as failed).
   */
  void kill(String why, boolean byDriver) {
    killedByDriver = byDriver;
    killed = why;
    for (Closeable c : killable) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        // the task fails for being killed whatever its children say
      }
    }
    thread.interrupt();
    if (env.rank() != null && !byDriver) {
      env.rank().killed().accept(why);
    }
  }

  /** Why the task was killed, or null. */
  String killed() {
    return killed;
  }

  boolean killedByDriver() {
    return killedByDriver;
  }

  TaskMetrics metrics(long runMillis) {
    return new TaskMetrics(recordsOut, inputBytes, shuffleBytesRead, shuffleBytesWritten, runMillis,
        spills.spills(), spills.bytes(), memory == null ? 0 : memory.peak(), shuffleRawBytesRead,
        shuffleRawBytesWritten);
  }

  /** Closes inputs, readers and kept partitions (deleting their files); a failure to close fails a task that otherwise succeeded. */
  void closeResources() throws IOException {
    IOException first = null;
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    closeables.clear();
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      closeResources();
    } finally {
      try {
        if (memory != null) {
          memory.close();
        }
        if (allocator != null) {
          allocator.close();
        }
      } finally {
        if (scratch != null) {
          io.dflow.executor.LocalDirs.deleteRecursively(scratch);
        }
      }
    }
  }
}
