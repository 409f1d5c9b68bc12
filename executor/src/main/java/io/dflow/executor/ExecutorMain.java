package io.dflow.executor;

import io.dflow.executor.mpi.DaemonLauncher;
import io.dflow.executor.net.Connection;
import io.dflow.executor.net.EventLoops;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.ServedClass;
import io.dflow.executor.net.TransportClient;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportOptions;
import io.dflow.executor.net.TransportServer;
import io.dflow.executor.protocol.ControlEndpoint;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.LaunchDaemon;
import io.dflow.executor.protocol.ControlMessage.RegisterExecutor;
import io.dflow.executor.protocol.ControlMessage.StopDaemon;
import io.dflow.executor.protocol.ControlMessage.StopExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main class of an executor JVM: connects to the driver (proving the run's secret, given in
 * the {@value #SECRET_ENV} environment variable or as a YARN credential ({@link RunSecret}),
 * never on the command line), serves its blocks to
 * other executors, runs the tasks it is sent (and, for MPI gangs whose ranks are on its host, the
 * Open MPI daemon {@code mpirun} asks for: {@link DaemonLauncher}), and exits when the driver says
 * so or goes away.
 */
@Command(name = "dflow-executor", mixinStandardHelpOptions = true,
    description = "An executor JVM of a dflow application; started by the driver's cluster backend.")
public final class ExecutorMain implements Callable<Integer> {
  public static final String SECRET_ENV = "DFLOW_SECRET";
  /** The application's TLS key material, hex (empty: plain TCP), beside {@link #SECRET_ENV}. */
  public static final String TLS_ENV = "DFLOW_TLS_KEY";
  /** The exit code of an executor that ends itself to be replaced, having given up a task that would not stop. */
  public static final int EXIT_ABANDONED_TASK = 70;
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorMain.class);
  /** Other executors connect to fetch blocks only; a control message from one is dropped. */
  private static final MessageHandler IGNORE_CONTROL =
      (from, body) -> LOG.warn("ignored a control message from {}", from);

  @Option(names = "--driver", required = true, paramLabel = "HOST:PORT", description = "the driver's address")
  String driver;

  @Option(names = "--id", required = true, description = "this executor's id")
  String id;

  @Option(names = "--slots", required = true, description = "task slots")
  int slots;

  @Option(names = "--local-dir", required = true, description = "scratch folder: shuffle files, cached partitions, jars")
  Path localDir;

  @Option(names = "--host", defaultValue = "localhost", description = "the host name locality is judged by")
  String host;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "the address to serve blocks on")
  String bind;

  @Option(names = "--jar-dir", description = "a folder where job jars may be already, as <sha256>.jar (shipped by a "
      + "cluster manager): read there instead of fetched from the driver")
  Path jarDir;

  @Mixin
  TransportOptions transportOptions = new TransportOptions();

  @Option(names = "--storage-memory", description = "bytes of cached partitions kept in memory (default: 30% of the heap)")
  Long storageMemory;

  @Option(names = "--execution-fraction", description = "the share of the heap tasks' sorters and tables may hold (default: 0.15)")
  double executionFraction = ExecutorConf.DEFAULT_EXECUTION_FRACTION;

  @Option(names = "--log", description = "the file this executor's output goes to: a failed task's error carries its last lines")
  Path log;

  public static void main(String[] argv) {
    int exit = new CommandLine(new ExecutorMain()).execute(argv);
    EventLoops.shutdownForExit();
    System.exit(exit);
  }

  @Override
  public Integer call() throws Exception {
    ignoreTerminalInterrupts();
    byte[] secret = RunSecret.find();
    if (secret == null) {
      System.err.println("executor: " + SECRET_ENV + " is not set, nor is the YARN credential " + RunSecret.CREDENTIAL);
      return 2;
    }
    int colon = driver.lastIndexOf(':');
    if (colon <= 0) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--driver expects HOST:PORT, got " + driver);
    }
    TransportConf transport = transportOptions.withSecret(secret).withTls(RunSecret.findTls());
    ExecutorConf conf = new ExecutorConf(id, host, slots, localDir,
        storageMemory != null ? storageMemory : ExecutorConf.defaultStorageMemory(),
        ExecutorConf.heapShare(executionFraction));
    run(conf, transport, bind, driver.substring(0, colon), Integer.parseInt(driver.substring(colon + 1)), jarDir, log);
    return 0;
  }

  /**
   * Ctrl-C at the driver's terminal reaches every process of its group, executors included; it is
   * the driver's to act on (a shell cancels the running job and keeps its executors and their
   * cached data). An executor ends when the driver stops it or goes away.
   */
  static void ignoreTerminalInterrupts() {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
    } catch (IllegalArgumentException unsupported) {
      LOG.debug("cannot ignore SIGINT here: {}", unsupported.getMessage());
    }
  }

  /**
   * Serves until the driver stops this executor or disconnects.
   *
   * @param jarDir where job jars may be already (null: none); the cache checks their hashes all the same
   */
  static void run(ExecutorConf conf, TransportConf transport, String bind, String driverHost,
      int driverPort, Path jarDir, Path log) throws IOException, InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    DriverLink link = new DriverLink(stop);
    TransportClient driverClient = TransportClient.connect(driverHost, driverPort, transport,
        new ControlEndpoint("executor " + conf.executorId(), link));
    link.daemons = new DaemonLauncher(driverHost, RunSecret.environment(transport),
        message -> driverClient.send(message.encode()));
    JarCache jars = new JarCache(conf.localDir().resolve("jars"),
        sha -> {
          Path shipped = jarDir == null ? null : jarDir.resolve(sha + ".jar");
          if (shipped != null && java.nio.file.Files.isRegularFile(shipped)) {
            LOG.info("job jar {} read from {}", sha, shipped);
            return java.nio.file.Files.readAllBytes(shipped);
          }
          return fetch(driverClient, "jar/" + sha, "job jar " + sha);
        }, name -> fetchClass(driverClient, name));
    try (Executor executor = new Executor(conf, jars, transport,
            id -> fetch(driverClient, "broadcast/" + id, "broadcast " + id),
            update -> driverClient.send(update.encode()));
        TransportServer server = TransportServer.start(bind, 0, transport, IGNORE_CONTROL,
            executor.blockResolver())) {
      link.executor = executor;
      executor.logFile(log);
      executor.commitGate((job, partition, taskId) -> fetch(driverClient,
          CommitRequests.blockId(job, partition, taskId), "commit permission")[0] == 1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        String caller = ExitCaller.describe();
        if (caller != null) {
          System.err.println("executor " + conf.executorId() + " ends: " + caller);
        }
      }, "exit-caller"));
      executor.restartOnAbandonedTask(() -> {
        try {
          Thread.sleep(500); // lets the transport write the last status update
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        System.err.println("executor " + conf.executorId() + " exits with code " + EXIT_ABANDONED_TASK
            + " to be replaced: a task would not stop after its kill");
        Runtime.getRuntime().halt(EXIT_ABANDONED_TASK); // the stuck thread would keep a normal exit waiting
      });
      driverClient.send(new RegisterExecutor(executor.id(), conf.host(), bind, server.port(),
          conf.slots()).encode());
      stop.await();
    } finally {
      link.daemons.close();
      driverClient.close();
    }
  }

  /** Fetches a block the driver serves (a job jar, a broadcast value), waiting at most five minutes. */
  public static byte[] fetch(TransportClient driver, String blockId, String what) throws IOException {
    CompletableFuture<byte[]> f = driver.fetch(blockId);
    try {
      return f.get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IOException("cannot fetch " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      throw new IOException("cannot fetch " + what + ": " + e, e);
    }
  }

  /** Fetches a class the driver's shell made, waiting at most five minutes. */
  public static ServedClass fetchClass(TransportClient driver, String name) throws IOException {
    try {
      return driver.fetchClass(name).get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot fetch class " + name + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("cannot fetch class " + name + ": timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching class " + name, e);
    }
  }

  /** Handles what the driver sends. */
  private static final class DriverLink implements ControlEndpoint.Receiver {
    private final CountDownLatch stop;
    volatile Executor executor;
    volatile DaemonLauncher daemons;

    DriverLink(CountDownLatch stop) {
      this.stop = stop;
    }

    @Override
    public void onMessage(Connection from, ControlMessage message) {
      if (message instanceof StopExecutor) {
        stop.countDown();
      } else if (message instanceof LaunchDaemon launch && daemons != null) {
        daemons.launch(launch);
      } else if (message instanceof StopDaemon daemon && daemons != null) {
        daemons.stop(daemon.launch());
      } else if (executor != null) {
        executor.handle(message);
      }
    }

    @Override
    public void onClose(Connection connection) {
      if (daemons != null) {
        daemons.close();
      }
      stop.countDown();
    }
  }
}
