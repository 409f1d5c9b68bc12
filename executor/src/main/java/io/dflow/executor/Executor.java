package io.dflow.executor;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.dflow.executor.memory.ExecutionMemory;
import io.dflow.executor.net.BlockData;
import io.dflow.executor.net.BlockResolver;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.DropBroadcast;
import io.dflow.executor.protocol.ControlMessage.DropCachedDataset;
import io.dflow.executor.protocol.ControlMessage.ForgetStage;
import io.dflow.executor.protocol.ControlMessage.LaunchTasks;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.KillTasks;
import io.dflow.executor.protocol.ControlMessage.StatusUpdate;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.StageAttemptId;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.executor.protocol.TaskMetrics;
import io.dflow.executor.shuffle.BlockIds;
import io.dflow.executor.shuffle.NetworkFetcher;
import io.dflow.executor.shuffle.ShuffleStore;
import io.dflow.executor.storage.BlockStore;
import io.dflow.executor.storage.BroadcastCache;
import io.dflow.executor.task.TaskEnvironment;
import io.dflow.executor.task.TaskRunner;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks in a fixed number of slots, keeps the shuffle outputs and cached partitions they
 * write for other executors to fetch, and reports how tasks ended, in batches. The same class
 * serves in-process ({@code local[N]}) and in an executor JVM ({@link ExecutorMain}); there the
 * driver's messages arrive over the network, here as objects, and both go through
 * {@link #handle}.
 *
 * <p>Threading: {@link #handle} may be called from any thread (it never blocks: tasks go to the
 * slot pool); status updates are delivered on one sender thread.
 */
public final class Executor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
  /** How much of a partition a task keeps in memory when it reads it twice; the rest spills. */
  static final long KEEP_IN_MEMORY_BYTES = 64L << 20;

  private final ExecutorConf conf;
  private final ExecutorId id;
  private final ShuffleStore shuffleStore;
  private final BlockStore blockStore;
  private final BroadcastCache broadcasts;
  private final NetworkFetcher fetcher;
  private final TaskRunner runner;
  private final ExecutorService slots;
  private final ExecutorService sender;
  private final StatusBatcher statuses;
  private final Map<StageAttemptId, RegisterStage> stages = new ConcurrentHashMap<>();

  /**
   * @param transport how to reach other executors' blocks, or null when this is the only
   *     executor (in-process, {@code local[N]}) and every block is local
   * @param broadcastSource where broadcast values are fetched from (the driver)
   * @param toDriver where status updates go; called on the sender thread
   */
  public Executor(ExecutorConf conf, ClassLoaderSource loaders, TransportConf transport,
      BroadcastCache.Source broadcastSource, Consumer<StatusUpdate> toDriver) throws IOException {
    this.conf = conf;
    this.id = new ExecutorId(conf.executorId());
    this.shuffleStore = new ShuffleStore(conf.localDir().resolve("shuffle"));
    this.blockStore = new BlockStore(conf.localDir().resolve("blocks"), conf.storageMemoryBytes());
    this.broadcasts = new BroadcastCache(broadcastSource);
    this.fetcher = new NetworkFetcher(id, this::resolve, transport);
    this.sender = Executors.newSingleThreadExecutor(new ThreadFactoryBuilder()
        .setNameFormat(conf.executorId() + "-status").setDaemon(true).build());
    this.statuses = new StatusBatcher(sender, toDriver);
    this.runner = new TaskRunner(new TaskEnvironment(id, loaders, shuffleStore, blockStore, broadcasts,
        fetcher, new ExecutionMemory(conf.executionMemoryBytes()), conf.localDir().resolve("tasks"),
        KEEP_IN_MEMORY_BYTES, statuses::status, null));
    this.slots = Executors.newFixedThreadPool(conf.slots(), new ThreadFactoryBuilder()
        .setNameFormat(conf.executorId() + "-slot-%d").setDaemon(true).build());
    runner.onAbandoned(this::abandoned);
  }

  /**
   * What an executor JVM does when a killed task would not stop: it reports the attempt ended,
   * then ends itself, so that its backend starts a fresh one. Null (in-process): the slot pool
   * grows a thread instead, in place of the one given up.
   */
  private volatile Runnable restart;
  /** Slot threads given up on: closing does not wait for them. */
  private final java.util.concurrent.atomic.AtomicInteger abandonedThreads = new java.util.concurrent.atomic.AtomicInteger();

  /** The last lines of its log a failed attempt's error carries. */
  static final int LOG_LINES_IN_ERRORS = 20;
  private volatile java.nio.file.Path log;

  /** Where this executor's output goes (null: nowhere it can read): a failed attempt's error ends with its last lines. */
  public void logFile(java.nio.file.Path log) {
    this.log = log;
  }

  /** {@code ended}, its failure followed by the end of this executor's log, where the task's own prints went. */
  private TaskEnded withLogTail(TaskEnded ended) {
    java.nio.file.Path file = log;
    if (file == null || !(ended.reason() instanceof TaskEndReason.ExceptionFailure f)
        || f.className().equals(io.dflow.executor.task.TaskKilledException.class.getName())) {
      return ended;
    }
    String tail = LogTail.of(file, LOG_LINES_IN_ERRORS);
    if (tail.isBlank()) {
      return ended;
    }
    String indented = "    " + tail.replace("\n", "\n    ");
    return new TaskEnded(ended.attempt(), ended.executor(), new TaskEndReason.ExceptionFailure(f.className(),
        f.message(), f.where(), f.stackTrace().stripTrailing() + "\n  the last lines of executor " + id + "'s log ("
            + file + "):\n" + indented), ended.metrics());
  }

  /** Where this executor's attempts ask the driver whether they may commit their output. */
  public void commitGate(io.dflow.executor.task.CommitGate gate) {
    runner.commitGate(gate);
  }

  /** Makes this executor end its process through {@code restart} when it has given up a task's thread. */
  public void restartOnAbandonedTask(Runnable restart) {
    this.restart = restart;
  }

  private void abandoned(TaskEnded ended) {
    LOG.error("executor {} gave up {}: {}", id, ended.attempt(), ended.reason().describe());
    statuses.add(ended);
    Runnable r = restart;
    if (r != null) {
      // the status goes out on the sender thread, in order: wait for it before ending the process
      try {
        sender.submit(() -> { }).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("executor {} could not report {} before restarting: {}", id, ended.attempt(), e.toString());
      }
      r.run();
    } else if (slots instanceof java.util.concurrent.ThreadPoolExecutor pool) {
      abandonedThreads.incrementAndGet();
      pool.setMaximumPoolSize(pool.getMaximumPoolSize() + 1);
      pool.setCorePoolSize(pool.getCorePoolSize() + 1);
    }
  }

  public ExecutorConf conf() {
    return conf;
  }

  public ExecutorId id() {
    return id;
  }

  /** The blocks this executor serves to others: shuffle segments and cached partitions. */
  public BlockData resolve(String blockId) throws IOException {
    return BlockIds.isShuffle(blockId) ? shuffleStore.resolve(blockId) : blockStore.resolve(blockId);
  }

  /** This executor's blocks, for its transport server. */
  public BlockResolver blockResolver() {
    return this::resolve;
  }

  /** Acts on one message from the driver. */
  public void handle(ControlMessage message) {
    if (message instanceof RegisterStage r) {
      stages.put(r.stage(), r);
    } else if (message instanceof LaunchTasks launch) {
      for (TaskLaunch task : launch.tasks()) {
        launch(task);
      }
    } else if (message instanceof KillTasks k) {
      k.attempts().forEach(attempt -> runner.kill(attempt, k.reason()));
    } else if (message instanceof ForgetStage f) {
      stages.remove(f.stage());
    } else if (message instanceof DropCachedDataset d) {
      blockStore.dropDataset(d.node());
    } else if (message instanceof DropBroadcast d) {
      broadcasts.drop(d.id());
    } else {
      LOG.warn("executor {} ignored an unexpected {}", id, message.getClass().getSimpleName());
    }
  }

  private void launch(TaskLaunch task) {
    RegisterStage stage = stages.get(task.attempt().stage());
    if (stage == null) {
      statuses.add(new TaskEnded(task.attempt(), id, new TaskEndReason.ExceptionFailure(
          IllegalStateException.class.getName(), "stage not registered", task.attempt().toString(),
          "executor " + id + " got a task of stage " + task.attempt().stage() + ", which was never registered"),
          TaskMetrics.NONE));
      return;
    }
    slots.execute(() -> statuses.add(withLogTail(runner.run(stage, task))));
  }

  @Override
  public void close() {
    slots.shutdownNow();
    try {
      slots.awaitTermination(abandonedThreads.get() > 0 ? 1 : 10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    runner.close();
    sender.shutdownNow();
    fetcher.close();
    shuffleStore.deleteAll();
    blockStore.deleteAll();
    LocalDirs.deleteRecursively(conf.localDir().resolve("tasks"));
  }
}
