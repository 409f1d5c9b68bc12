package io.dflow.driver;

import io.dflow.api.JobContext;
import io.dflow.api.Partitioner;
import io.dflow.api.StorageLevel;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.LogicalNode;
import io.dflow.driver.backend.ClusterBackend;
import io.dflow.driver.backend.DriverEndpoint;
import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.driver.history.EventLog;
import io.dflow.driver.mpi.GangRunner;
import io.dflow.driver.report.AppReport;
import io.dflow.driver.report.LiveReport;
import io.dflow.driver.report.Warning;
import io.dflow.driver.scheduler.Clock;
import io.dflow.driver.scheduler.Counters;
import io.dflow.driver.scheduler.DagScheduler;
import io.dflow.driver.scheduler.JobSummary;
import io.dflow.driver.scheduler.ListenerBus;
import io.dflow.driver.scheduler.ListenerEvent;
import io.dflow.driver.scheduler.Scheduler;
import io.dflow.driver.scheduler.SchedulerConf;
import io.dflow.executor.CommitRequests;
import io.dflow.executor.net.BlockData;
import io.dflow.executor.net.BlockRegion;
import io.dflow.executor.net.HeapBlock;
import io.dflow.executor.net.ServedClass;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.StatusUpdate;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.JobId;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.planner.PhysicalPlan;
import io.dflow.planner.PlanInputs;
import io.dflow.planner.Planner;
import io.dflow.planner.PlannerConf;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running application: its executors, its scheduler, and the {@link JobRunner} behind the
 * {@link JobContext} a job builds datasets from. Each action is one job: its DAG is planned into
 * stages (reusing the shuffles earlier jobs wrote), the scheduler runs them, and the results
 * come back here; file output is committed all-or-nothing. The session also keeps what
 * outlives jobs: persisted datasets, broadcast values, counters, sampled sort bounds.
 *
 * <p>Threading: the job's thread calls the {@link JobRunner} methods; executors' messages
 * arrive on network threads and only post to the scheduler.
 */
public final class Session implements JobRunner, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  private final String appId;
  private final Map<String, String> conf;
  private final ClusterBackend backend;
  private final JobJar jar;
  private final JobFiles files;
  private final Planner planner;
  private final ListenerBus bus = new ListenerBus();
  private final OutputCommitCoordinator commits = new OutputCommitCoordinator();
  private final java.util.concurrent.atomic.AtomicInteger executorsLost = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger executorsReplaced = new java.util.concurrent.atomic.AtomicInteger();
  private final Counters counters = new Counters();
  private final Scheduler scheduler;
  private final GangRunner gangs;
  private final EventLog eventLog;
  /** The report served while the application runs (dflow.ui.port), or null. */
  private final LiveReport live;
  /** The application's report so far, for the warnings printed at its end; guarded by itself. */
  private final AppReport.Builder analysis;
  private final int totalSlots;
  private final Map<Integer, StorageLevel> persisted = new ConcurrentHashMap<>();
  private final Map<Integer, Partitioner> sortBounds = new ConcurrentHashMap<>();
  private final Map<Long, byte[]> broadcasts = new ConcurrentHashMap<>();
  private final AtomicLong nextBroadcast = new AtomicLong();
  private final AtomicInteger nextJob = new AtomicInteger();
  private final long maxBroadcastBytes;
  private int stagesRun;
  private int tasksRun;

  /** @param name what the application is called in its event log: the job's class */
  Session(String appId, String name, Map<String, String> conf, Master master, ClusterBackend backend, JobJar jar,
      ProgressReporter progress) throws IOException, JobSetupException {
    this.appId = appId;
    Map<String, Object> start = EventLog.applicationStart(appId, name, master.toString(), conf);
    this.eventLog = DflowConf.booleanValue(conf, DflowConf.EVENT_LOG_ENABLED)
        ? EventLog.start(Path.of(conf.get(DflowConf.EVENT_LOG_DIR)), appId, start)
        : null;
    String uiPort = conf.get(DflowConf.UI_PORT);
    if (uiPort != null && !uiPort.isBlank()) {
      try {
        this.live = new LiveReport(start, conf.get(DflowConf.UI_HOST), Integer.parseInt(uiPort.trim()));
      } catch (IOException e) {
        if (eventLog != null) {
          eventLog.finish(false, e.getMessage());
        }
        bus.close();
        throw new IllegalArgumentException(e.getMessage(), e); // a setting names what cannot be: said as a bad one
      }
      progress.printLine("live report: " + live.url());
    } else {
      this.live = null;
    }
    this.analysis = new AppReport.Builder(start);
    bus.add(this::record);
    this.conf = Map.copyOf(conf);
    this.backend = backend;
    this.jar = jar;
    this.totalSlots = master.totalSlots();
    this.files = new JobFiles(conf);
    this.planner = new Planner(PlannerConf.from(conf, totalSlots), files::list);
    this.maxBroadcastBytes = DflowConf.longValue(conf, DflowConf.BROADCAST_MAX_BYTES);
    bus.add(new ProgressListener(progress, counters));
    bus.add(commits);
    Endpoint endpoint = new Endpoint();
    this.gangs = new GangRunner(conf, backend, endpoint);
    this.scheduler = new Scheduler(new SchedulerConf(jar.sha256(), conf,
        DflowConf.maxTaskAttempts(conf, master), DflowConf.intValue(conf, DflowConf.STAGE_MAX_ATTEMPTS),
        DflowConf.intValue(conf, DflowConf.MPI_MAX_ATTEMPTS)), Clock.SYSTEM, bus, counters, gangs,
        files.racks()::rackOf);
    try {
      for (ExecutorHandle executor : backend.start(endpoint)) {
        scheduler.executorAdded(executor);
      }
    } catch (IOException e) {
      close();
      throw new JobSetupException("the executors did not start: " + e.getMessage());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts an application for {@code code} on the master {@code conf} names, as {@code dflow run}
   * does: a fresh app id, its scratch folder, progress on {@code err}. For a shell, whose
   * application outlives its commands.
   *
   * @param conf the loaded configuration ({@link DflowConf#load})
   */
  public static Session start(String name, Map<String, String> conf, JobJar code, PrintStream err)
      throws IOException {
    Master master = Master.parse(conf.get(DflowConf.MASTER), conf);
    String appId = AppIds.next();
    Path appDir = Path.of(conf.get(DflowConf.LOCAL_DIR)).resolve(appId);
    try {
      return new Session(appId, name, conf, master,
          io.dflow.driver.backend.Backends.create(master, conf, code.loader(), appDir, DflowConf.executorMemory(conf),
              code.path()),
          code, new ProgressReporter(err, JobLauncher.stderrIsTerminal()));
    } catch (JobSetupException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** What the job's entry point receives. */
  public JobContext newContext() {
    return new JobContext(this, conf, totalSlots);
  }

  public String appId() {
    return appId;
  }

  /** Jobs run so far: one per action (a take may run several). */
  public int jobsRun() {
    return nextJob.get();
  }

  public int stagesRun() {
    return stagesRun;
  }

  public int tasksRun() {
    return tasksRun;
  }

  /** Executors lost while the application ran, and how many joined to replace them. */
  public String executorLosses() {
    int lost = executorsLost.get();
    return lost == 0 ? "" : "; " + lost + (lost == 1 ? " executor" : " executors") + " lost, "
        + executorsReplaced.get() + " replaced";
  }

  @Override
  public String explain(LogicalNode node, Action action) {
    PhysicalPlan plan = JobFiles.planOrFail(planner, node, action, inputs());
    return plan.explain(scheduler.query(DagScheduler::availableShuffles));
  }

  @Override
  public Object run(LogicalNode node, Action action) {
    new SortBoundsSampler(this, JobContext.collectMaxBytes(conf), sortBounds).sampleSorts(node);
    PhysicalPlan plan = JobFiles.planOrFail(planner, node, action, inputs());
    int partitions = plan.resultStage().numTasks();
    if (action instanceof Action.Take take) {
      return take(plan, take, partitions);
    }
    JobId job = new JobId(nextJob.getAndIncrement());
    if (action instanceof Action.Save save) {
      String commitJob = appId + "_" + job;
      try {
        return files.commitOutput(save.path(), commitJob, overwrite(), partitions,
            () -> runJob(job, plan, 0, partitions, commitJob));
      } finally {
        commits.jobEnded(commitJob);
      }
    }
    return runJob(job, plan, 0, partitions, null);
  }

  /**
   * The first {@code n} records: one partition first, then four times as many as were scanned
   * each round (fewer when the records so far say fewer will do), as Spark's {@code take} does.
   */
  private Object take(PhysicalPlan plan, Action.Take take, int partitions) {
    List<Object> out = new java.util.ArrayList<>();
    int scanned = 0;
    while (out.size() < take.n() && scanned < partitions) {
      int next = 1;
      if (scanned > 0) {
        next = out.isEmpty() ? scanned * 4
            : (int) Math.min(Math.max(1, Math.ceil(1.5 * take.n() * scanned / out.size()) - scanned), scanned * 4L);
      }
      next = Math.min(next, partitions - scanned);
      @SuppressWarnings("unchecked")
      List<Object> got = (List<Object>) runJob(new JobId(nextJob.getAndIncrement()), plan, scanned, next, null);
      for (Object record : got) {
        if (out.size() < take.n()) {
          out.add(record);
        }
      }
      scanned += next;
    }
    return out;
  }

  /** Runs result partitions {@code first .. first + count - 1} of {@code plan} as job {@code job}. */
  private Object runJob(JobId job, PhysicalPlan plan, int first, int count, String commitJob) {
    ResultCollector results = new ResultCollector(plan.action(), count, jar.loader());
    CompletableFuture<JobSummary> outcome = scheduler.submit(job, plan, first, count, results, commitJob,
        plan.action().describe());
    backend.jobSubmitted();
    JobSummary summary;
    try {
      summary = outcome.join();
    } catch (CompletionException e) {
      bus.flush();
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    bus.flush();
    stagesRun += summary.stagesRun();
    tasksRun += summary.tasksRun();
    return results.value();
  }

  private PlanInputs inputs() {
    return new PlanInputs(persisted, scheduler.query(DagScheduler::knownShuffles), sortBounds);
  }

  @Override
  public void persist(LogicalNode node, StorageLevel level) {
    StorageLevel before = persisted.putIfAbsent(node.id(), level);
    if (before != null && before != level) {
      throw new IllegalArgumentException("dataset " + node.id() + " is persisted at " + before
          + " already; unpersist it before choosing " + level);
    }
  }

  @Override
  public void unpersist(LogicalNode node) {
    if (persisted.remove(node.id()) != null) {
      scheduler.datasetUnpersisted(node.id());
    }
  }

  @Override
  public long broadcast(Object value) {
    byte[] bytes = JavaSerde.serialize(value);
    if (bytes.length > maxBroadcastBytes) {
      throw new IllegalArgumentException("a broadcast value of " + bytes.length + " bytes is over the limit of "
          + maxBroadcastBytes + " (" + DflowConf.BROADCAST_MAX_BYTES + ")");
    }
    long id = nextBroadcast.getAndIncrement();
    broadcasts.put(id, bytes);
    return id;
  }

  @Override
  public void destroyBroadcast(long id) {
    if (broadcasts.remove(id) != null) {
      scheduler.broadcastDestroyed(id);
    }
  }

  @Override
  public void addToCounter(String name, long delta) {
    counters.add(name, delta);
  }

  @Override
  public long counterValue(String name) {
    return counters.value(name);
  }

  private boolean overwrite() {
    return Boolean.parseBoolean(conf.getOrDefault(DflowConf.OVERWRITE, "false"));
  }

  /** Fails the running jobs with {@code reason} (their attempts killed, their output removed by their own code paths). */
  public void cancel(String reason) {
    scheduler.cancelAll(reason);
  }

  /**
   * Removes the partial output of the jobs writing files now, ahead of their tasks' end: what a
   * process that is being stopped does first, in case it is killed before its jobs fail.
   */
  public void abortOutputs() {
    files.abortOutputs();
  }

  /** Cancels the application: its running jobs fail with {@code reason}, and any later one at once. */
  public void stop(String reason) {
    scheduler.stop(reason);
  }

  /**
   * Ends the event log with the application's outcome (and tells the backend, for its cluster
   * manager); returns where the log is, or null when
   * there is none ({@code dflow.eventLog.enabled=false}).
   */
  public Path finishEventLog(boolean succeeded, String error) {
    backend.outcome(succeeded, error);
    if (eventLog == null) {
      return null;
    }
    bus.flush();
    return eventLog.finish(succeeded, error);
  }

  @Override
  public void close() {
    scheduler.close();
    gangs.close();
    backend.close();
    bus.close();
    if (live != null) {
      live.close();
    }
  }

  /**
   * The warnings of the report of what the application did so far ({@code dflow report}'s:
   * tasks too short, skew, stragglers...), once every event posted before is in.
   */
  List<Warning> warnings() {
    bus.flush();
    synchronized (analysis) {
      return analysis.build().warnings();
    }
  }

  /**
   * Gives a scheduler event, described once, to the event log, the live report and the analysis
   * (on the listener bus's thread).
   */
  private void record(ListenerEvent event) {
    Map<String, Object> e = EventLog.describe(event);
    if (e == null) {
      return;
    }
    if (eventLog != null) {
      eventLog.append(e);
    }
    if (live != null) {
      live.append(e);
    }
    synchronized (analysis) {
      analysis.add(e);
    }
  }

  /** What executors send and fetch: status updates go to the scheduler; the job jar and broadcasts are served from here. */
  private final class Endpoint implements DriverEndpoint {
    @Override
    public void received(ExecutorId from, ControlMessage message) {
      if (message instanceof StatusUpdate update) {
        for (ControlMessage.TaskStatus status : update.running()) {
          bus.post(new ListenerEvent.TaskStatusChanged(status.attempt(), status.message()));
        }
        scheduler.statusReceived(from, update.ended());
      } else if (message instanceof ControlMessage.DaemonOutput || message instanceof ControlMessage.DaemonExited) {
        gangs.received(from, message);
      } else {
        LOG.warn("the driver ignored an unexpected {} from executor {}", message.getClass().getSimpleName(), from);
      }
    }

    @Override
    public void executorLost(ExecutorId executor, String reason, boolean replacing) {
      executorLost(executor, reason, replacing, true);
    }

    @Override
    public void executorLost(ExecutorId executor, String reason, boolean replacing, boolean causedByApp) {
      executorsLost.incrementAndGet();
      scheduler.executorLost(executor, reason, replacing, causedByApp);
    }

    @Override
    public void executorAdded(ExecutorHandle executor) {
      executorsReplaced.incrementAndGet();
      scheduler.executorAdded(executor);
    }

    @Override
    public void applicationEnded(String reason) {
      scheduler.stop(reason);
    }

    @Override
    public void executorJoined(ExecutorHandle executor) {
      scheduler.executorAdded(executor);
    }

    @Override
    public Map<String, Integer> pendingTaskHosts() {
      return scheduler.query(DagScheduler::pendingTaskHosts);
    }

    @Override
    public BlockData driverBlock(String blockId) throws IOException {
      CommitRequests.Request commit = CommitRequests.parse(blockId);
      if (commit != null) {
        boolean granted = commits.mayCommit(commit.job(), commit.partition(), commit.taskId());
        return new HeapBlock(new byte[] {(byte) (granted ? 1 : 0)}, 1);
      }
      Path served = blockId.startsWith("jar/") ? jar.servedJar(blockId.substring("jar/".length())) : null;
      if (served != null) {
        return new BlockRegion(served, 0, Files.size(served));
      }
      if (blockId.startsWith("broadcast/")) {
        byte[] bytes;
        try {
          bytes = broadcasts.get(Long.parseLong(blockId.substring("broadcast/".length())));
        } catch (NumberFormatException e) {
          bytes = null;
        }
        if (bytes != null) {
          return new HeapBlock(bytes, bytes.length);
        }
        throw new IOException("no broadcast " + blockId.substring("broadcast/".length())
            + " (destroyed, or never made)");
      }
      throw new IOException("unknown block " + (blockId.length() > 80 ? blockId.substring(0, 80) : blockId));
    }

    @Override
    public ServedClass driverClass(String binaryName) {
      return jar.servedClass(binaryName);
    }
  }
}
