package io.dflow.driver.mpi;

import io.dflow.driver.DflowConf;
import io.dflow.driver.backend.ClusterBackend;
import io.dflow.driver.backend.DriverEndpoint;
import io.dflow.driver.scheduler.GangLauncher.Gang;
import io.dflow.executor.mpi.RankEnvironment;
import io.dflow.executor.mpi.RankMain;
import io.dflow.executor.net.Connection;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.protocol.ControlMessage.RankHello;
import io.dflow.executor.protocol.ControlMessage.RankTask;
import io.dflow.executor.protocol.ControlMessage.StatusUpdate;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.StageAttemptId;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.executor.protocol.TaskMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one gang: its {@code mpirun} process, which ranks have connected and how each
 * ended. It reports to the scheduler once, for every rank together: all successes when every
 * rank succeeded and {@code mpirun} exited, else one failure naming the rank that failed first
 * (its own error, or how it died and the end of its stderr) and every other rank killed. Before
 * a failure is reported the whole {@code mpirun} process tree is killed, so a retry never
 * meets ranks of the attempt before it.
 *
 * <pre>
 * starting --every rank connected--> running --every rank succeeded, mpirun exited--> succeeded
 *     '----------------+---- a rank failed, exited, lost its connection; start or attempt timeout --> failed
 *                      '---- killed by the scheduler (another rank's executor lost, job failed) --> killed
 * </pre>
 *
 * <p>Threading: every method locks the gang; the scheduler's thread, network threads, the process
 * watcher and the timer call them. Reports are posted, never waited for.
 */
final class RunningGang {
  private static final Logger LOG = LoggerFactory.getLogger(RunningGang.class);
  /** How long ranks that all succeeded get to finish MPI and exit before they are killed. */
  private static final long EXIT_GRACE_MILLIS = 30_000;
  /** How long a rank's lost connection waits for mpirun to say how the rank died. */
  private static final long LOST_GRACE_MILLIS = 5_000;
  /** This machine's name as ranks report theirs: a rank's pid is only ours to kill on this machine. */
  private static final String THIS_HOST = hostName();

  private final String id;
  private final Gang gang;
  private final int size;
  private final java.util.Map<String, String> conf;
  private final ClusterBackend backend;
  private final DriverEndpoint driver;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Consumer<RunningGang> onDone;
  private final Connection[] connections;
  private final String[] where;
  private final long[] pids;
  private final TaskEnded[] ended;
  private final List<ScheduledFuture<?>> timeouts = new ArrayList<>();
  private final long launchedNanos = System.nanoTime();
  private final String agentToken = newToken();
  private final RankArchive archive;
  private RankArchive.Use archiveUse;
  private Path log;
  private Process process;
  private int connected;
  private int succeeded;
  private boolean finished;

  RunningGang(String id, Gang gang, java.util.Map<String, String> conf, ClusterBackend backend,
      DriverEndpoint driver, RankArchive archive, ExecutorService workers, ScheduledExecutorService timers,
      Consumer<RunningGang> onDone) {
    this.archive = archive;
    this.id = id;
    this.gang = gang;
    this.size = gang.tasks().size();
    this.conf = conf;
    this.backend = backend;
    this.driver = driver;
    this.workers = workers;
    this.timers = timers;
    this.onDone = onDone;
    this.connections = new Connection[size];
    this.where = new String[size];
    this.pids = new long[size];
    this.ended = new TaskEnded[size];
  }

  String id() {
    return id;
  }

  StageAttemptId stageAttempt() {
    return gang.stage().stage();
  }

  /** Whether some rank's slot is on another host than the driver's. */
  boolean acrossHosts() {
    return gang.executors().stream().map(RunningGang::machineOf).anyMatch(h -> !MpirunCommand.isThisMachine(h));
  }

  /** The token this gang's launch agents prove themselves with: random, in mpirun's environment only. */
  String agentToken() {
    return agentToken;
  }

  /** The first of this gang's executors at {@code host} (as mpirun names it), or null. */
  io.dflow.driver.backend.ExecutorHandle executorAt(String host) {
    return gang.executors().stream().filter(e -> machineOf(e).equals(host)).findFirst().orElse(null);
  }

  /**
   * Starts {@code mpirun}, its ranks told to connect to {@code driverHost:port}; on a worker
   * thread. With {@code agentPort} (0: none) its daemons on other hosts are started through the
   * driver's launch relay on that loopback port.
   */
  void start(String driverHost, int port, int agentPort) throws IOException {
    Path mpiDir = Files.createDirectories(backend.appDir().resolve("mpi"));
    log = mpiDir.resolve(id + ".log");
    TransportConf transport = backend.transport();
    RankArchive.Use use = archive.use(backend.javaCommand(), id, agentPort == 0);
    synchronized (this) {
      if (finished) {
        archive.finished(use, false); // killed before it started
        return;
      }
      archiveUse = use;
    }
    List<String> rank = new ArrayList<>(use.command());
    rank.addAll(List.of(RankMain.class.getName(), "--driver", driverHost + ":" + port, "--gang", id));
    rank.addAll(io.dflow.executor.net.TransportOptions.of(transport));
    List<String> placement = agentPort == 0 ? MpirunCommand.oneMachine()
        : MpirunCommand.acrossHosts(agentScript(mpiDir, agentPort), MpirunCommand.networkOf(driverHost));
    List<String> cmd = MpirunCommand.of(conf.get(DflowConf.MPI_MPIRUN),
        gang.executors().stream().map(RunningGang::machineOf).toList(), conf.get(DflowConf.MPI_OPTIONS), placement,
        rank);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(io.dflow.executor.RunSecret.environment(transport));
    pb.environment().putAll(RankEnvironment.VARIABLES);
    pb.environment().put(DaemonAgent.TOKEN_ENV, agentToken);
    synchronized (this) {
      if (finished) {
        return; // killed before it started
      }
      try {
        process = pb.start();
      } catch (IOException e) {
        fail(0, "mpi", "cannot start " + cmd.get(0) + " (" + DflowConf.MPI_MPIRUN + "): " + e.getMessage()
            + "; MPI stages need Open MPI: on Debian or Ubuntu, apt-get install openmpi-bin libopenmpi-dev");
        return;
      }
      long startTimeout = Long.parseLong(conf.get(DflowConf.MPI_START_TIMEOUT));
      timeouts.add(timers.schedule(this::startTimedOut, startTimeout, TimeUnit.MILLISECONDS));
      long timeout = Long.parseLong(conf.get(DflowConf.MPI_TIMEOUT).trim());
      if (timeout > 0) {
        timeouts.add(timers.schedule(this::timedOut, timeout, TimeUnit.MILLISECONDS));
      }
    }
    Process started = process;
    workers.execute(() -> {
      try {
        exited(started.waitFor());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * The launch agent mpirun runs in place of ssh: a script that starts {@link DaemonAgent} with
   * this JVM's {@code java} and class path, told the relay's port and this gang.
   */
  private Path agentScript(Path mpiDir, int agentPort) throws IOException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String script = "#!/bin/sh\nexec " + shellQuoted(javaBin) + " -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
        + " -Xmx32m -cp " + shellQuoted(System.getProperty("java.class.path")) + " " + DaemonAgent.class.getName()
        + " " + agentPort + " " + id + " \"$@\"\n";
    Path agent = mpiDir.resolve(id + ".agent");
    Files.writeString(agent, script);
    Files.setPosixFilePermissions(agent, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    return agent;
  }

  private static String shellQuoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /**
   * Where mpirun starts a rank of {@code executor}'s slot: the address the executor serves on
   * (its declared host name is what locality is judged by, and may be a name of its data's
   * host rather than of the machine), or this machine for the in-process executor.
   */
  private static String machineOf(io.dflow.driver.backend.ExecutorHandle executor) {
    return executor.port() == 0 ? "localhost" : executor.address();
  }

  /** The gang could not start at all. */
  synchronized void failToStart(String why) {
    fail(0, "mpi", why);
  }

  /** Rank {@code hello.rank()} connected: sends it its task. Returns false if it is not one this gang waits for. */
  synchronized boolean hello(Connection from, RankHello hello) {
    int r = hello.rank();
    if (finished || r < 0 || r >= size || connections[r] != null) {
      return false;
    }
    connections[r] = from;
    where[r] = "host " + hello.host() + ", pid " + hello.pid();
    pids[r] = hello.host().equals(THIS_HOST) ? hello.pid() : 0;
    TaskLaunch task = gang.tasks().get(r);
    from.send(new RankTask(gang.stage(), task, gang.executors().get(r).id(),
        backend.executorDir(gang.executors().get(r).id()).toString()).encode());
    if (++connected == size) {
      LOG.info("{}: all {} ranks running {} ms after launch", id, size,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedNanos));
    }
    return true;
  }

  /** What rank {@code rank} reports: status messages pass on at once; its end is held for the gang's. */
  synchronized void status(int rank, StatusUpdate update) {
    if (finished) {
      return;
    }
    if (!update.running().isEmpty()) {
      driver.received(gang.executors().get(rank).id(), new StatusUpdate(List.of(), update.running()));
    }
    for (TaskEnded e : update.ended()) {
      if (!e.attempt().equals(gang.tasks().get(rank).attempt()) || ended[rank] != null) {
        LOG.warn("{}: rank {} reported an end of {}, not of its own task; ignored", id, rank, e.attempt());
        continue;
      }
      ended[rank] = e;
      if (e.reason() instanceof TaskEndReason.ExceptionFailure f) {
        fail(rank, new TaskEndReason.ExceptionFailure(f.className(), f.message(), place(rank) + ", reading "
            + f.where(), f.stackTrace()));
        return;
      } else if (!(e.reason() instanceof TaskEndReason.Success)) {
        fail(rank, e.reason());
        return;
      }
      if (++succeeded == size) {
        // every output is written; the ranks now finish MPI and exit, which exited() waits for
        timeouts.add(timers.schedule(this::exitTimedOut, EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS));
      }
    }
  }

  /** Rank {@code rank}'s connection closed: if it had not reported, the gang fails (mpirun may say how it died first). */
  synchronized void closed(int rank) {
    if (finished || ended[rank] != null) {
      return;
    }
    timeouts.add(timers.schedule(() -> lost(rank), LOST_GRACE_MILLIS, TimeUnit.MILLISECONDS));
  }

  private synchronized void lost(int rank) {
    if (!finished) {
      fail(rank, "mpi", "its connection to the driver closed before it reported" + diagnosis(rank));
    }
  }

  /** {@code mpirun} exited with {@code code}. */
  private synchronized void exited(int code) {
    if (finished) {
      return;
    }
    if (succeeded == size) {
      if (code != 0) {
        LOG.warn("{}: every rank succeeded but mpirun exited with {}", id, code);
      }
      finish(List.of(ended).stream().map(RunningGang::withoutCachedBlocks).toList());
      return;
    }
    MpirunLog out = MpirunLog.read(log);
    MpirunLog.RankExit exit = out.firstFailedRank();
    int rank = exit != null ? exit.rank() : firstUnreported();
    String how = exit != null ? exit.how()
        : "mpirun exited with " + io.dflow.api.pipe.ExitStatus.describe(code) + " before it reported";
    fail(rank, "mpi", how + tails(out, rank));
  }

  private synchronized void startTimedOut() {
    if (finished || connected == size) {
      return;
    }
    List<Integer> missing = new ArrayList<>();
    for (int r = 0; r < size; r++) {
      if (connections[r] == null) {
        missing.add(r);
      }
    }
    fail(missing.get(0), "mpi", (missing.size() == 1 ? "rank " : "ranks ") + missing + " of " + size
        + " did not start and connect within " + conf.get(DflowConf.MPI_START_TIMEOUT) + " ms ("
        + DflowConf.MPI_START_TIMEOUT + ")" + diagnosis(missing.get(0)));
  }

  private synchronized void timedOut() {
    if (!finished) {
      int rank = firstUnreported();
      fail(rank, "mpi", "the gang attempt ran longer than " + conf.get(DflowConf.MPI_TIMEOUT) + " ms ("
          + DflowConf.MPI_TIMEOUT + ") and was stopped; rank " + rank + " had not finished" + diagnosis(rank));
    }
  }

  private synchronized void exitTimedOut() {
    if (!finished) {
      LOG.warn("{}: every rank succeeded but mpirun did not exit within {} ms; killed", id, EXIT_GRACE_MILLIS);
      destroyTree();
      finish(List.of(ended).stream().map(RunningGang::withoutCachedBlocks).toList());
    }
  }

  /** The scheduler stops the gang: every rank that has not ended ends killed. */
  synchronized void kill(String reason) {
    if (finished) {
      return;
    }
    destroyTree();
    List<TaskEnded> out = new ArrayList<>();
    for (int r = 0; r < size; r++) {
      out.add(end(r, new TaskEndReason.Killed(reason)));
    }
    finish(out);
  }

  private void fail(int rank, String className, String how) {
    fail(rank, new TaskEndReason.ExceptionFailure(className, how, place(rank), how));
  }

  /** Which rank, where: for errors. */
  private String place(int rank) {
    return "rank " + rank + " of mpi(" + size + ") (" + id + ", executor " + gang.executors().get(rank).id()
        + (where[rank] == null ? "" : ", " + where[rank]) + ")";
  }

  /** Kills the process tree and reports {@code rank}'s failure first, every other rank killed. */
  private void fail(int rank, TaskEndReason reason) {
    destroyTree();
    List<TaskEnded> out = new ArrayList<>();
    out.add(end(rank, reason));
    for (int r = 0; r < size; r++) {
      if (r != rank) {
        out.add(end(r, new TaskEndReason.Killed("rank " + rank + " of the gang failed")));
      }
    }
    finish(out);
  }

  private TaskEnded end(int rank, TaskEndReason reason) {
    return new TaskEnded(gang.tasks().get(rank).attempt(), gang.executors().get(rank).id(), reason,
        ended[rank] == null ? TaskMetrics.NONE : ended[rank].metrics());
  }

  private void finish(List<TaskEnded> out) {
    finished = true;
    archive.finished(archiveUse, succeeded == size);
    timeouts.forEach(t -> t.cancel(false));
    driver.received(gang.executors().get(0).id(), new StatusUpdate(out));
    onDone.accept(this);
  }

  /**
   * A rank's success without the partitions it cached: they lived in the rank's memory, which is
   * gone, so no later task may be sent to read them from its executor.
   */
  private static TaskEnded withoutCachedBlocks(TaskEnded e) {
    TaskEndReason.Success ok = (TaskEndReason.Success) e.reason();
    return ok.blocks().isEmpty() ? e : new TaskEnded(e.attempt(), e.executor(),
        new TaskEndReason.Success(ok.result(), ok.shuffles(), List.of(), ok.counters()), e.metrics());
  }

  private int firstUnreported() {
    for (int r = 0; r < size; r++) {
      if (ended[r] == null) {
        return r;
      }
    }
    return 0;
  }

  /** What mpirun's log says of {@code rank} and of itself. */
  private String diagnosis(int rank) {
    return log == null ? "" : tails(MpirunLog.read(log), rank);
  }

  private static String tails(MpirunLog out, int rank) {
    String stderr = out.stderrTail(rank);
    String own = out.ownTail();
    return (stderr.isBlank() ? "; its stderr is empty" : "; the end of its stderr:\n" + stderr)
        + (own.isBlank() ? "" : "\nmpirun said:\n" + own);
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  /**
   * Stops mpirun and every process under it (the ranks): SIGTERM first, so mpirun can stop its
   * ranks and remove its session folder, then SIGKILL for whatever is left a moment later.
   */
  private void destroyTree() {
    Process p = process;
    if (p == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    for (long pid : pids) {
      if (pid > 0) {
        ProcessHandle.of(pid).ifPresent(tree::add); // a rank mpirun no longer holds (mpirun died first)
      }
    }
    p.destroy();
    workers.execute(() -> {
      try {
        p.waitFor(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      tree.forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
  }
}
