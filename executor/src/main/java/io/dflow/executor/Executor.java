package io.dflow.executor;

import io.dflow.executor.protocol.ControlMessage.LaunchTask;
import io.dflow.executor.protocol.ControlMessage.TaskFinished;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.shuffle.NetworkFetcher;
import io.dflow.executor.shuffle.ShuffleStore;
import io.dflow.executor.task.TaskRunner;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs tasks in a fixed number of slots and keeps the shuffle outputs they write, for other
 * executors to fetch. The same class serves in-process ({@code local[N]}) and in an executor
 * JVM ({@link ExecutorMain}); only how tasks arrive and results leave differs.
 */
public final class Executor implements AutoCloseable {
  private final ExecutorConf conf;
  private final ShuffleStore shuffleStore;
  private final NetworkFetcher fetcher;
  private final TaskRunner runner;
  private final ExecutorService slots;

  /**
   * @param transport how to reach other executors' shuffle blocks, or null when this is the only
   *     executor (in-process, {@code local[N]}) and every block is local
   */
  public Executor(ExecutorConf conf, ClassLoaderSource loaders, TransportConf transport)
      throws IOException {
    this.conf = conf;
    this.shuffleStore = new ShuffleStore(conf.localDir().resolve("shuffle"));
    this.fetcher = new NetworkFetcher(conf.executorId(), shuffleStore, transport);
    this.runner = new TaskRunner(conf.executorId(), loaders, shuffleStore, fetcher);
    this.slots = Executors.newFixedThreadPool(conf.slots(), new ThreadFactoryBuilder()
        .setNameFormat(conf.executorId() + "-slot-%d").setDaemon(true).build());
  }

  public ExecutorConf conf() {
    return conf;
  }

  /** The shuffle files this executor serves. */
  public ShuffleStore shuffleStore() {
    return shuffleStore;
  }

  /** Runs {@code task} in a free slot (queueing if none is) and hands its outcome to {@code done}. */
  public void launch(LaunchTask task, Consumer<TaskFinished> done) {
    slots.execute(() -> done.accept(runner.run(task)));
  }

  @Override
  public void close() {
    slots.shutdownNow();
    try {
      slots.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    fetcher.close();
    shuffleStore.deleteAll();
  }
}
