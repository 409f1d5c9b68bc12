package io.dflow.driver.mpi;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.dflow.driver.backend.ClusterBackend;
import io.dflow.driver.backend.DriverEndpoint;
import io.dflow.driver.scheduler.GangLauncher;
import io.dflow.executor.net.Connection;
import io.dflow.executor.net.TransportServer;
import io.dflow.executor.protocol.ControlEndpoint;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.RankHello;
import io.dflow.executor.protocol.ControlMessage.StatusUpdate;
import io.dflow.executor.protocol.StageAttemptId;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the MPI gangs of one application: serves the ranks' connections (authenticated with the
 * cluster's secret, on a server of its own started with the first gang: on loopback when every
 * rank is on this machine, else on the driver's address), starts each gang's {@code mpirun} off
 * the scheduler's thread (with the {@link DaemonRelay} as its way to other hosts), and stops
 * every gang still running when the application ends.
 */
public final class GangRunner implements GangLauncher, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GangRunner.class);
  static final String LOOPBACK = "127.0.0.1";

  private final Map<String, String> conf;
  private final ClusterBackend backend;
  private final DriverEndpoint driver;
  private final Map<String, RunningGang> byId = new ConcurrentHashMap<>();
  private final Map<StageAttemptId, RunningGang> byStage = new ConcurrentHashMap<>();
  private final Map<Connection, RankOf> ranks = new ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newCachedThreadPool(
      new ThreadFactoryBuilder().setNameFormat("dflow-mpi-%d").setDaemon(true).build());
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
      new ThreadFactoryBuilder().setNameFormat("dflow-mpi-timer").setDaemon(true).build());
  private final AtomicInteger nextGang = new AtomicInteger();
  private final DaemonRelay relay;
  private final RankArchive archive;
  /** The ranks' servers, by the address they are bound to; guarded by this. */
  private final Map<String, TransportServer> servers = new java.util.HashMap<>();

  /** The gang and rank a connection belongs to. */
  private record RankOf(RunningGang gang, int rank) {}

  /**
   * @param driver where the ranks' ends are reported (as executors' status updates are), and the
   *     blocks ranks fetch (the job jar, broadcast values) come from
   */
  public GangRunner(Map<String, String> conf, ClusterBackend backend, DriverEndpoint driver) {
    this.conf = Map.copyOf(conf);
    this.backend = backend;
    this.driver = driver;
    this.relay = new DaemonRelay(byId::get, workers);
    this.archive = new RankArchive(this.conf.get(io.dflow.driver.DflowConf.MPI_CLASS_ARCHIVE));
  }

  @Override
  public void launch(Gang gang) {
    StageAttemptId stage = gang.stage().stage();
    String id = "gang-" + stage.stage().value() + "." + stage.attempt() + "-" + nextGang.getAndIncrement();
    RunningGang running = new RunningGang(id, gang, conf, backend, driver, archive, workers, timers, this::done);
    byId.put(id, running);
    byStage.put(stage, running);
    String missing = io.dflow.executor.mpi.MpiSupport.missing(conf.get(io.dflow.driver.DflowConf.MPI_MPIRUN));
    workers.execute(() -> {
      if (missing != null) {
        running.failToStart(missing);
        return;
      }
      try {
        if (running.acrossHosts()) {
          // ranks on other hosts connect to the driver's own address; their Open MPI daemons are
          // started by the executors there, through the relay
          String bind = backend.driverHost();
          if (MpirunCommand.isThisMachine(bind) || bind.startsWith("127.")) {
            running.failToStart("the gang's slots are on executors at other hosts, but this cluster gives the"
                + " driver only the loopback address " + bind + " for ranks to connect to");
            return;
          }
          running.start(bind, serverPort(bind), relay.port());
        } else {
          running.start(LOOPBACK, serverPort(LOOPBACK), 0);
        }
      } catch (IOException e) {
        running.failToStart("cannot start the gang: " + e.getMessage());
      }
    });
  }

  @Override
  public void kill(StageAttemptId stage, String reason) {
    RunningGang running = byStage.get(stage);
    if (running != null) {
      running.kill(reason);
    }
  }

  private void done(RunningGang gang) {
    relay.stopGang(gang.id());
    byId.remove(gang.id());
    byStage.remove(gang.stageAttempt(), gang);
  }

  private synchronized int serverPort(String bind) throws IOException {
    TransportServer server = servers.get(bind);
    if (server == null) {
      server = TransportServer.start(bind, 0, backend.transport(),
          new ControlEndpoint("driver (MPI ranks)", new FromRanks()), driver::driverBlock,
          driver::driverClass);
      servers.put(bind, server);
    }
    return server.port();
  }

  /**
   * What an executor says of an Open MPI daemon it runs for a gang ({@code DaemonOutput},
   * {@code DaemonExited}); on a network thread.
   */
  public void received(io.dflow.executor.protocol.ExecutorId from, ControlMessage message) {
    relay.received(from, message);
  }

  @Override
  public void close() {
    for (RunningGang g : byId.values()) {
      g.kill("the application ended");
    }
    workers.shutdown();
    timers.shutdownNow();
    relay.close();
    synchronized (this) {
      servers.values().forEach(TransportServer::close);
    }
  }

  /** What ranks send: who they are, then how their task ended. Runs on network threads, so it never blocks. */
  private final class FromRanks implements ControlEndpoint.Receiver {
    @Override
    public void onMessage(Connection from, ControlMessage message) {
      if (message instanceof RankHello hello) {
        RunningGang gang = byId.get(hello.gang());
        if (gang != null && gang.hello(from, hello)) {
          ranks.put(from, new RankOf(gang, hello.rank()));
        } else {
          LOG.warn("a rank of gang {} that is not running (or a rank it has already) connected from {}; closed",
              hello.gang(), from);
          from.close();
        }
        return;
      }
      RankOf rank = ranks.get(from);
      if (rank != null && message instanceof StatusUpdate update) {
        rank.gang().status(rank.rank(), update);
      } else {
        LOG.warn("the driver ignored a {} from {}", message.getClass().getSimpleName(), from);
      }
    }

    @Override
    public void onClose(Connection connection) {
      RankOf rank = ranks.remove(connection);
      if (rank != null) {
        rank.gang().closed(rank.rank());
      }
    }
  }
}
