package io.dflow.executor.mpi;

import io.dflow.executor.ExecutorConf;
import io.dflow.executor.ExecutorMain;
import io.dflow.executor.JarCache;
import io.dflow.executor.LocalDirs;
import io.dflow.executor.memory.ExecutionMemory;
import io.dflow.executor.net.Connection;
import io.dflow.executor.net.EventLoops;
import io.dflow.executor.net.TransportClient;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.protocol.ControlEndpoint;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.RankHello;
import io.dflow.executor.protocol.ControlMessage.RankTask;
import io.dflow.executor.protocol.ControlMessage.StatusUpdate;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskStatus;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.executor.protocol.TaskMetrics;
import io.dflow.executor.shuffle.BlockIds;
import io.dflow.executor.shuffle.NetworkFetcher;
import io.dflow.executor.shuffle.ShuffleStore;
import io.dflow.executor.storage.BlockStore;
import io.dflow.executor.storage.BroadcastCache;
import io.dflow.executor.task.RankServices;
import io.dflow.executor.task.TaskEnvironment;
import io.dflow.executor.task.TaskRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The main class of one MPI rank, started by {@code mpirun} for a gang stage: joins the MPI job,
 * connects to the driver (proving the run's secret from {@value ExecutorMain#SECRET_ENV}), says
 * which rank it is, and runs the task it is sent as the executor whose slot it holds would run
 * it: it reads its input from map outputs or splits, writes its map output into that executor's
 * scratch folder (which serves it afterwards), and reports how it ended. A rank that fails
 * reports first and then aborts the MPI job, so no peer is left waiting in a collective.
 */
public final class RankMain {
  /** How long a rank waits for its task once connected. */
  private static final long TASK_WAIT_SECONDS = 60;
  /** How long a killed task gets to end by itself before the rank is halted. */
  private static final long STUCK_GRACE_MILLIS = 5_000;
  /** Which rank this process is, as Open MPI tells every process it starts. */
  private static final String RANK_ENV = "OMPI_COMM_WORLD_RANK";
  /** Bytes of cached partitions a rank keeps in memory: it runs one task and exits. */
  private static final long RANK_STORAGE_BYTES = 64L << 20;
  private static final String USAGE = "usage: RankMain --driver HOST:PORT --gang ID [--max-frame BYTES]"
      + " [--fetch-chunk BYTES] [--handshake-ms MS] [--execution-fraction F] (started by mpirun for a dflow driver)";

  private final String gang;
  private final double executionFraction;

  private RankMain(String gang, double executionFraction) {
    this.gang = gang;
    this.executionFraction = executionFraction;
  }

  public static void main(String[] argv) {
    int exit;
    try {
      exit = start(RankArguments.parse(List.of(argv)));
    } catch (RankArguments.BadArguments e) {
      System.err.println("rank: " + e.getMessage() + "\n" + USAGE);
      exit = 2;
    } catch (Exception e) {
      e.printStackTrace();
      exit = 1;
    }
    EventLoops.shutdownForExit();
    System.exit(exit);
  }

  private static int start(RankArguments args) throws Exception {
    String secretHex = System.getenv(ExecutorMain.SECRET_ENV);
    String rankVariable = System.getenv(RANK_ENV);
    if (secretHex == null || rankVariable == null) {
      System.err.println("rank: " + (secretHex == null ? ExecutorMain.SECRET_ENV : RANK_ENV)
          + " is not set (a rank is started by mpirun, for a dflow driver)");
      return 2;
    }
    return new RankMain(args.gang(), args.executionFraction()).call(Integer.parseInt(rankVariable), args,
        args.transport(HexFormat.of().parseHex(secretHex)).withTls(io.dflow.executor.RunSecret.findTls()));
  }

  private int call(int rank, RankArguments args, TransportConf transport) throws Exception {
    // fetching the task overlaps MPI_Init, which takes a good part of a second
    DriverLink link = new DriverLink(rank);
    CompletableFuture<RankTask> task = new CompletableFuture<>();
    Thread connector = new Thread(() -> {
      try {
        task.complete(link.connect(args.driverHost(), args.driverPort(), transport));
      } catch (RuntimeException e) {
        task.completeExceptionally(e);
      }
    }, "rank-connect");
    connector.setDaemon(true);
    connector.start();
    AtomicLong calls = new AtomicLong();
    // the task's thread alone calls MPI (MPI_THREAD_SINGLE: cheaper calls), and alone counts them
    System.setProperty(NativeCommunicator.THREAD_LEVEL_PROPERTY,
        System.getProperty(NativeCommunicator.THREAD_LEVEL_PROPERTY, "single"));
    NativeCommunicator comm = NativeCommunicator.init(() -> calls.lazySet(calls.get() + 1));
    boolean succeeded = false;
    try {
      if (comm.rank() != rank) {
        throw new IllegalStateException("MPI says this is rank " + comm.rank() + ", mpirun said " + rank);
      }
      succeeded = run(comm, calls, transport, link, task.get(TASK_WAIT_SECONDS, TimeUnit.SECONDS));
    } catch (Exception | Error e) {
      System.err.println("rank " + rank + " of gang " + gang + " failed before it could report:");
      e.printStackTrace();
    } finally {
      link.close();
    }
    if (succeeded) {
      comm.finish();
      return 0;
    }
    System.err.flush();
    NativeCommunicator.abort(1);
    return 1;
  }

  /** Runs this rank's task; returns whether it succeeded (it has been reported either way). */
  private boolean run(NativeCommunicator comm, AtomicLong calls, TransportConf transport, DriverLink link,
      RankTask t) throws Exception {
    Path executorDir = Path.of(t.executorDir());
    Path scratch = executorDir.resolve("mpi").resolve(gang + "-rank-" + comm.rank());
    try {
      TaskEnded ended = runTask(t, comm, calls, transport, link.client, executorDir, scratch);
      link.reported = true;
      link.client.send(new StatusUpdate(List.of(ended)).encode()).get(30, TimeUnit.SECONDS);
      return ended.reason() instanceof TaskEndReason.Success;
    } finally {
      LocalDirs.deleteRecursively(scratch);
    }
  }

  /**
   * The watchdog killed the task: if the interrupt does not end it within a few seconds (it
   * loops, or waits in native code), this reports the kill itself and halts the rank, which
   * makes mpirun stop its peers.
   */
  private void stopIfStuck(RankTask t, TransportClient client, String why) {
    Thread stopper = new Thread(() -> {
      try {
        Thread.sleep(STUCK_GRACE_MILLIS);
        TaskEnded killed = new TaskEnded(t.task().attempt(), t.executor(), new TaskEndReason.ExceptionFailure(
            io.dflow.executor.task.TaskKilledException.class.getName(), why, "rank of " + gang,
            "killed: " + why + "; it ignored the interrupt, so the rank was stopped"), TaskMetrics.NONE);
        client.send(new StatusUpdate(List.of(killed)).encode()).get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // halt whatever happened: the driver learns the rest from mpirun
      }
      System.err.println("rank: the task was killed (" + why + ") and did not stop; halting");
      Runtime.getRuntime().halt(4);
    }, "rank-stopper");
    stopper.setDaemon(true);
    stopper.start();
  }

  /**
   * The rank's connection to the driver: says which rank it is and takes its task. If the driver
   * goes away while the task runs, nobody will read its output and peers may wait on it: the
   * rank halts.
   */
  private final class DriverLink implements ControlEndpoint.Receiver {
    private final int rank;
    private final CompletableFuture<RankTask> task = new CompletableFuture<>();
    volatile TransportClient client;
    volatile boolean reported;

    DriverLink(int rank) {
      this.rank = rank;
    }

    RankTask connect(String host, int port, TransportConf transport) {
      try {
        client = TransportClient.connect(host, port, transport, new ControlEndpoint("rank " + rank, this));
        client.send(new RankHello(gang, rank, ProcessHandle.current().pid(),
            InetAddress.getLocalHost().getHostName()).encode());
        return task.get(TASK_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException("cannot get this rank's task from the driver at "
            + host + ":" + port + ": " + e, e);
      }
    }

    @Override
    public void onMessage(Connection from, ControlMessage message) {
      if (message instanceof RankTask t) {
        task.complete(t);
      }
    }

    @Override
    public void onClose(Connection connection) {
      if (task.isDone() && !reported) {
        System.err.println("rank " + rank + ": the driver closed the connection; stopping");
        Runtime.getRuntime().halt(3);
      }
      task.completeExceptionally(new IOException("the driver closed the connection"));
    }

    void close() {
      reported = true;
      if (client != null) {
        client.close();
      }
    }
  }

  private TaskEnded runTask(RankTask t, NativeCommunicator comm, AtomicLong calls, TransportConf transport,
      TransportClient client, Path executorDir, Path scratch) throws IOException {
    ShuffleStore shuffles = new ShuffleStore(executorDir.resolve("shuffle"));
    BlockStore blocks = new BlockStore(scratch.resolve("blocks"), RANK_STORAGE_BYTES);
    // the executor's shuffle files are read from its folder; its cached partitions from its block server
    NetworkFetcher fetcher = new NetworkFetcher(t.executor(), shuffles::resolve, BlockIds::isShuffle, transport);
    try {
      JarCache jars = new JarCache(scratch.resolve("jars"),
          sha -> ExecutorMain.fetch(client, "jar/" + sha, "job jar " + sha),
          name -> ExecutorMain.fetchClass(client, name));
      BroadcastCache broadcasts = new BroadcastCache(
          id -> ExecutorMain.fetch(client, "broadcast/" + id, "broadcast " + id));
      TaskEnvironment env = new TaskEnvironment(t.executor(), jars, shuffles, blocks, broadcasts, fetcher,
          new ExecutionMemory(ExecutorConf.heapShare(executionFraction)), scratch.resolve("tasks"),
          RANK_STORAGE_BYTES, (attempt, status) -> client.send(new StatusUpdate(List.of(),
              List.of(new TaskStatus(attempt, status))).encode()),
          new RankServices(comm, () -> calls.get() + (comm.inCall() ? System.nanoTime() : 0),
              why -> stopIfStuck(t, client, why)));
      TaskRunner runner = new TaskRunner(env);
      try {
        return runner.run(t.stage(), t.task());
      } finally {
        runner.close();
      }
    } finally {
      fetcher.close();
    }
  }
}
