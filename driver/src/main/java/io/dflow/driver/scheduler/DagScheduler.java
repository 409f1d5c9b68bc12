package io.dflow.driver.scheduler;

import io.dflow.driver.JobFailedException;
import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.driver.scheduler.ListenerEvent.ExecutorAdded;
import io.dflow.driver.scheduler.ListenerEvent.ExecutorRemoved;
import io.dflow.driver.scheduler.ListenerEvent.JobEnded;
import io.dflow.driver.scheduler.ListenerEvent.JobStarted;
import io.dflow.driver.scheduler.ListenerEvent.StageCompleted;
import io.dflow.driver.scheduler.ListenerEvent.StageSkipped;
import io.dflow.driver.scheduler.ListenerEvent.StageSubmitted;
import io.dflow.driver.scheduler.ListenerEvent.TaskEnd;
import io.dflow.executor.protocol.BlockUpdate;
import io.dflow.executor.protocol.CachedBlockLocation;
import io.dflow.executor.protocol.ControlMessage.DropBroadcast;
import io.dflow.executor.protocol.ControlMessage.DropCachedDataset;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.protocol.MapStatus;
import io.dflow.executor.protocol.StageAttemptId;
import io.dflow.executor.protocol.StageId;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.planner.PartitionOp;
import io.dflow.planner.ShuffleId;
import io.dflow.planner.Stage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns jobs into stages and runs them: a stage is submitted as soon as every stage it reads is
 * available (so independent stages, the two sides of a join, run at the same time); map outputs
 * are tracked for the whole application, so a later job skips the stages whose outputs still
 * exist; a failed fetch or a lost executor makes the map tasks whose outputs were lost run
 * again, then the stages that need them. Stage states are drawn on {@link ScheduledStage}, task
 * states on {@link TaskSetManager}.
 *
 * <pre>
 * job: submitted --stages run--> every result partition done --> succeeded
 *          '--a stage fails for good (a task out of attempts, too many fetch failures)--> failed
 * </pre>
 *
 * <p>Threading: not thread-safe. One thread (the {@link Scheduler}'s event loop, or a test)
 * calls {@link #handle} for each event and {@link #afterEvents} after each batch of them.
 */
public final class DagScheduler {
  private final SchedulerConf conf;
  private final Clock clock;
  private final ListenerBus bus;
  private final Counters counters;
  private final Topology topology;
  private final LocalityWaits waits;
  private final Speculation speculation;
  private final ExcludeOnFailure exclusion;
  /** When stragglers were last looked for, on the clock. */
  private long lastStragglerCheck;
  final MapOutputTracker outputs = new MapOutputTracker();
  final CacheTracker cache = new CacheTracker();
  final TaskScheduler tasks;
  private final Map<ShuffleId, ScheduledStage> shuffleStages = new HashMap<>();
  private final Map<io.dflow.executor.protocol.JobId, ActiveJob> jobs = new LinkedHashMap<>();
  private final Set<ScheduledStage> waiting = new LinkedHashSet<>();
  private final Set<ScheduledStage> running = new LinkedHashSet<>();
  private final Set<ScheduledStage> toResubmit = new LinkedHashSet<>();
  private int nextStageId;

  /**
   * @param gangs runs the ranks of MPI stages
   * @param topology the racks of hosts, for rack-local placement
   */
  public DagScheduler(SchedulerConf conf, Clock clock, ListenerBus bus, Counters counters, GangLauncher gangs,
      Topology topology) {
    this.tasks = new TaskScheduler(gangs, clock, topology);
    this.topology = topology;
    this.waits = LocalityWaits.from(conf.conf());
    this.speculation = Speculation.from(conf.conf());
    this.exclusion = ExcludeOnFailure.from(conf.conf());
    this.conf = conf;
    this.clock = clock;
    this.bus = bus;
    this.counters = counters;
  }

  /** Acts on one event. */
  void handle(SchedulerEvent event) {
    if (event instanceof SchedulerEvent.JobSubmitted j) {
      submitJob(j);
    } else if (event instanceof SchedulerEvent.StatusReceived s) {
      for (TaskEnded ended : s.ended()) {
        taskEnded(ended);
      }
    } else if (event instanceof SchedulerEvent.ExecutorAdded a) {
      tasks.addExecutor(a.executor());
      bus.post(new ExecutorAdded(a.executor().id(), a.executor().host(), a.executor().slots()));
    } else if (event instanceof SchedulerEvent.ExecutorLost lost) {
      executorLost(lost.executor(), lost.reason(), lost.replacing(), lost.causedByApp());
    } else if (event instanceof SchedulerEvent.DatasetUnpersisted u) {
      cache.dropDataset(u.node());
      tasks.broadcast(new DropCachedDataset(u.node()));
    } else if (event instanceof SchedulerEvent.BroadcastDestroyed b) {
      tasks.broadcast(new DropBroadcast(b.id()));
    } else if (event instanceof SchedulerEvent.Query<?> q) {
      answer(q);
    } else if (event instanceof SchedulerEvent.Stop stop) {
      for (ActiveJob job : new ArrayList<>(jobs.values())) {
        failJob(job, stop.reason());
      }
    }
  }

  private <T> void answer(SchedulerEvent.Query<T> q) {
    try {
      q.answer().complete(q.question().apply(this));
    } catch (RuntimeException e) {
      q.answer().completeExceptionally(e);
    }
  }

  /** When {@link #afterEvents} should run again though no event came: a free slot's locality wait ends. */
  long nextWakeNanos() {
    long wake = tasks.nextWakeNanos();
    if (speculation.enabled() && tasks.anyRunning()) {
      wake = Math.min(wake, lastStragglerCheck + Speculation.CHECK_NANOS);
    }
    return wake;
  }

  /** After a batch of events: submits stages again whose inputs were lost, then fills free slots. */
  void afterEvents() {
    if (!toResubmit.isEmpty()) {
      List<ScheduledStage> again = new ArrayList<>(toResubmit);
      toResubmit.clear();
      again.sort(Comparator.comparingInt(s -> s.id.value()));
      for (ScheduledStage s : again) {
        if (neededByAJob(s)) {
          submitStage(s);
        }
      }
    }
    long now = clock.nanoTime();
    if (speculation.enabled() && now - lastStragglerCheck >= Speculation.CHECK_NANOS) {
      lastStragglerCheck = now;
      tasks.findStragglers(speculation);
    }
    tasks.offer();
  }

  /** The shuffles of the application that have a stage: a new plan keeps each in a map stage of its own. */
  /** How many pending tasks would rather run on each host (their input blocks' hosts). */
  public Map<String, Integer> pendingTaskHosts() {
    return tasks.pendingTaskHosts();
  }

  public Set<ShuffleId> knownShuffles() {
    return new HashSet<>(shuffleStages.keySet());
  }

  /** The shuffles whose every map output exists. */
  public Set<ShuffleId> availableShuffles() {
    return outputs.available();
  }

  // ---- jobs

  private void submitJob(SchedulerEvent.JobSubmitted j) {
    ActiveJob job = new ActiveJob(j.job(), j.first(), j.count(), j.handler(), j.commitJob(), j.outcome(),
        j.description());
    List<ScheduledStage> byIndex = new ArrayList<>();
    for (Stage planned : j.plan().stages()) {
      List<ScheduledStage> parents = planned.parents().stream().map(byIndex::get).toList();
      SerializedStage bytes = j.stages().get(planned.index());
      byIndex.add(planned.isResult() ? new ScheduledStage(nextStageId(), planned, bytes, parents, job)
          : mapStageFor(planned, bytes, parents));
    }
    job.finalStage = byIndex.get(byIndex.size() - 1);
    jobs.put(job.id, job);
    bus.post(new JobStarted(job.id, job.description, byIndex.size()));
    bus.post(new ListenerEvent.JobStages(job.id, byIndex.stream().map(s -> new ListenerEvent.StageNode(s.id.value(),
        s.label, s.parents.stream().map(p -> p.id.value()).toList())).toList()));
    for (Stage planned : j.plan().stages()) {
      int ranks = planned.gangSize();
      if (ranks > tasks.totalSlots()) {
        failJob(job, "mpi(" + ranks + ") needs " + ranks + " task slots at once, but the cluster has "
            + tasks.totalSlots() + ": use at most " + tasks.totalSlots() + " ranks, or a master with more slots");
        return;
      }
    }
    if (job.partitionCount == 0) {
      finishJob(job);
      return;
    }
    submitStage(job.finalStage);
    for (ScheduledStage s : byIndex) {
      if (!running.contains(s) && !waiting.contains(s)) {
        bus.post(new StageSkipped(new StageInfo(job.id, new StageAttemptId(s.id, s.nextAttempt), s.label,
            s.plan.numTasks())));
      }
    }
  }

  /** The application's stage writing {@code planned}'s shuffles: an earlier job's, or a new one. */
  private ScheduledStage mapStageFor(Stage planned, SerializedStage bytes, List<ScheduledStage> parents) {
    ScheduledStage known = shuffleStages.get(planned.shufflesWritten().get(0));
    if (known != null) {
      return known;
    }
    ScheduledStage s = new ScheduledStage(nextStageId(), planned, bytes, parents, null);
    for (ShuffleId shuffle : planned.shufflesWritten()) {
      if (shuffleStages.putIfAbsent(shuffle, s) != null) {
        throw new IllegalStateException("shuffle " + shuffle + " was planned into two stages");
      }
      outputs.register(shuffle, planned.numTasks());
    }
    return s;
  }

  private StageId nextStageId() {
    return new StageId(nextStageId++);
  }

  private void finishJob(ActiveJob job) {
    jobs.remove(job.id);
    TaskSetManager last = job.finalStage.current;
    if (last != null) {
      if (!last.isFinished()) {
        tasks.kill(last, "job " + job.id + " has its result"); // take(n) needs no more
      }
      tasks.remove(last);
    }
    if (running.remove(job.finalStage) && last != null) {
      // said before the job's end, which lets the caller go on and close the bus
      bus.post(new StageCompleted(info(job.finalStage, last), null, clock.nanoTime() - last.submittedNanos));
    }
    waiting.remove(job.finalStage);
    bus.post(new JobEnded(job.id, job.stagesRun, job.tasksRun, null));
    job.outcome.complete(new JobSummary(job.stagesRun, job.tasksRun));
  }

  /** Fails {@code job} and stops the stages no other job needs. */
  private void failJob(ActiveJob job, String message) {
    if (jobs.remove(job.id) == null) {
      return;
    }
    for (ScheduledStage s : stagesOf(job)) {
      if (!neededByAJob(s)) {
        waiting.remove(s);
        if (running.remove(s) && s.current != null) {
          s.current.makeZombie();
          tasks.kill(s.current, "job " + job.id + " failed");
          tasks.remove(s.current);
        }
      }
    }
    bus.post(new JobEnded(job.id, job.stagesRun, job.tasksRun, message));
    job.outcome.completeExceptionally(new JobFailedException(message));
  }

  /** Fails every job that needs {@code stage}. */
  private void abortStage(ScheduledStage stage, String message) {
    for (ActiveJob job : new ArrayList<>(jobs.values())) {
      if (job.finalStage == stage || job.finalStage.dependsOn(stage)) {
        failJob(job, message);
      }
    }
  }

  private boolean neededByAJob(ScheduledStage s) {
    for (ActiveJob job : jobs.values()) {
      if (job.finalStage == s || job.finalStage.dependsOn(s)) {
        return true;
      }
    }
    return false;
  }

  private List<ScheduledStage> stagesOf(ActiveJob job) {
    List<ScheduledStage> out = new ArrayList<>();
    Deque<ScheduledStage> todo = new ArrayDeque<>(List.of(job.finalStage));
    Set<ScheduledStage> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      ScheduledStage s = todo.poll();
      if (seen.add(s)) {
        out.add(s);
        todo.addAll(s.parents);
      }
    }
    return out;
  }

  // ---- stages

  private void submitStage(ScheduledStage stage) {
    if (waiting.contains(stage) || running.contains(stage)) {
      return;
    }
    List<ScheduledStage> missing = missingParents(stage);
    if (missing.isEmpty()) {
      submitTasks(stage);
      return;
    }
    for (ScheduledStage parent : missing) {
      submitStage(parent);
    }
    waiting.add(stage);
  }

  /**
   * The parent stages whose outputs {@code stage} needs and that are not all there. A persisted
   * dataset whose every partition is cached needs nothing behind it.
   */
  private List<ScheduledStage> missingParents(ScheduledStage stage) {
    Set<ScheduledStage> missing = new LinkedHashSet<>();
    Deque<PartitionOp> todo = new ArrayDeque<>(stage.plan.roots());
    Set<Integer> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      PartitionOp op = todo.poll();
      if (!seen.add(op.key())) {
        continue;
      }
      if (op instanceof PartitionOp.Persisted p && cache.isComplete(p.nodeId(), p.numPartitions())) {
        continue;
      }
      if (op instanceof PartitionOp.ReadShuffle r && !outputs.isAvailable(r.shuffle())) {
        missing.add(shuffleStages.get(r.shuffle()));
      }
      todo.addAll(op.inputs());
    }
    return new ArrayList<>(missing);
  }

  /** Submits a task set for the partitions of {@code stage} that are missing. */
  private void submitTasks(ScheduledStage stage) {
    List<Integer> partitions = missingPartitions(stage);
    if (partitions.isEmpty()) {
      if (!stage.isResult()) {
        stageAvailable(stage);
      }
      return;
    }
    StageAttemptId attempt = new StageAttemptId(stage.id, stage.nextAttempt++);
    RegisterStage registration = new RegisterStage(attempt, conf.jarSha256(), conf.conf(), stage.bytes.sinks(),
        stage.bytes.shared(), shuffleInputs(stage), stage.isResult() ? stage.job.commitJob : null);
    List<TaskSetManager.Task> list = new ArrayList<>(partitions.size());
    for (int p : partitions) {
      list.add(task(stage, p));
    }
    boolean gang = stage.plan.gangSize() > 0;
    TaskSetManager taskSet = new TaskSetManager(attempt, stage, registration, list,
        gang ? conf.maxGangAttempts() : conf.maxTaskAttempts(), priority(stage), clock.nanoTime(), gang, topology,
        gang ? LocalityWaits.NONE : waits);
    stage.current = taskSet;
    running.add(stage);
    tasks.submit(taskSet);
    for (ActiveJob job : jobs.values()) {
      if (job.finalStage == stage || job.finalStage.dependsOn(stage)) {
        job.stagesRun++;
      }
    }
    bus.post(new StageSubmitted(info(stage, taskSet)));
  }

  /** The partitions of {@code stage} to run: the missing ones; all of a gang's when any is missing (its ranks run together). */
  private List<Integer> missingPartitions(ScheduledStage stage) {
    List<Integer> missing = missingOf(stage);
    int ranks = stage.plan.gangSize();
    if (ranks == 0 || missing.isEmpty()) {
      return missing;
    }
    List<Integer> all = new ArrayList<>(ranks);
    for (int p = 0; p < ranks; p++) {
      all.add(p);
    }
    return all;
  }

  private List<Integer> missingOf(ScheduledStage stage) {
    if (stage.isResult()) {
      ActiveJob job = stage.job;
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < job.partitionCount; i++) {
        if (!job.isFinished(i)) {
          out.add(job.firstPartition + i);
        }
      }
      return out;
    }
    TreeSet<Integer> out = new TreeSet<>();
    for (ShuffleId shuffle : stage.shufflesWritten()) {
      out.addAll(outputs.missing(shuffle, stage.plan.numTasks()));
    }
    return new ArrayList<>(out);
  }

  /** The lowest id of the jobs that need {@code stage}: older jobs' tasks go first. */
  private int priority(ScheduledStage stage) {
    ActiveJob job = jobOf(stage);
    return job == null ? Integer.MAX_VALUE : job.id.value();
  }

  /** Where each map output of each available shuffle the stage reads is. */
  private Map<ShuffleId, List<MapOutputLocation>> shuffleInputs(ScheduledStage stage) {
    Map<ShuffleId, List<MapOutputLocation>> in = new HashMap<>();
    for (PartitionOp.ReadShuffle r : stage.plan.shuffleReads()) {
      if (outputs.isAvailable(r.shuffle())) {
        in.put(r.shuffle(), outputs.locations(r.shuffle()));
      }
    }
    return in;
  }

  /** Partition {@code p}'s task: its input, and the executors and hosts that hold its data. */
  private TaskSetManager.Task task(ScheduledStage stage, int p) {
    Set<ExecutorId> executors = new LinkedHashSet<>();
    List<CachedBlockLocation> cached = new ArrayList<>();
    Map<Integer, PartitionOp> ops = new HashMap<>();
    for (PartitionOp op : stage.plan.operators()) {
      ops.put(op.key(), op);
    }
    for (Stage.OpPartition used : Stage.uses(stage.plan.roots(), p).keySet()) {
      if (ops.get(used.opKey()) instanceof PartitionOp.Persisted persisted) {
        for (ExecutorId holder : cache.holders(persisted.nodeId(), used.partition())) {
          ExecutorHandle h = tasks.executor(holder);
          if (h != null) {
            executors.add(holder);
            cached.add(new CachedBlockLocation(persisted.nodeId(), used.partition(), holder, h.address(), h.port()));
          }
        }
      }
    }
    return new TaskSetManager.Task(p, stage.bytes.inputs().get(p), executors, stage.plan.preferredHosts(p), cached);
  }

  /** A map stage's every output exists: the stages waiting for it may be ready. */
  private void stageAvailable(ScheduledStage stage) {
    for (ScheduledStage w : new ArrayList<>(waiting)) {
      if (w.parents.contains(stage) && missingParents(w).isEmpty()) {
        waiting.remove(w);
        submitTasks(w);
      }
    }
  }

  private StageInfo info(ScheduledStage stage, TaskSetManager taskSet) {
    ActiveJob job = jobOf(stage);
    return new StageInfo(job == null ? null : job.id, taskSet.id, stage.label, taskSet.size());
  }

  /** The oldest job that needs {@code stage}, or null. */
  private ActiveJob jobOf(ScheduledStage stage) {
    if (stage.job != null) {
      return stage.job;
    }
    for (ActiveJob j : jobs.values()) {
      if (j.finalStage.dependsOn(stage)) {
        return j;
      }
    }
    return null;
  }

  // ---- tasks

  private void taskEnded(TaskEnded ended) {
    long taskId = ended.attempt().taskId();
    TaskScheduler.Launched launched = tasks.ended(taskId);
    if (launched == null) {
      return; // written off already: its executor was lost
    }
    TaskSetManager taskSet = launched.taskSet();
    ScheduledStage stage = taskSet.stage;
    bus.post(new TaskEnd(info(stage, taskSet), ended, launched.level()));
    TaskEndReason reason = ended.reason();
    if (reason instanceof TaskEndReason.Success ok) {
      succeeded(taskSet, ended, ok);
    } else if (reason instanceof TaskEndReason.FetchFailed fetch) {
      fetchFailed(taskSet, taskId, fetch);
    } else {
      boolean counts = !(reason instanceof TaskEndReason.Killed);
      failed(taskSet, taskId, reason, counts);
    }
  }

  private void succeeded(TaskSetManager taskSet, TaskEnded ended, TaskEndReason.Success ok) {
    long taskId = ended.attempt().taskId();
    int index = taskSet.succeeded(taskId, ended.metrics().runMillis());
    if (index < 0) {
      return;
    }
    List<Long> copies = taskSet.otherAttempts(index, taskId);
    if (!copies.isEmpty()) {
      tasks.killAttempts(taskSet, copies, "another attempt of partition " + taskSet.partitionOf(index)
          + " succeeded first");
    }
    ScheduledStage stage = taskSet.stage;
    int partition = taskSet.partitionOf(index);
    counters.addAll(ok.counters());
    for (BlockUpdate update : ok.blocks()) {
      cache.update(ended.executor(), update);
    }
    for (ActiveJob job : jobs.values()) {
      if (job.finalStage == stage || job.finalStage.dependsOn(stage)) {
        job.tasksRun++;
      }
    }
    if (stage.isResult()) {
      resultSucceeded(stage.job, partition, ok.result());
    } else {
      ExecutorHandle where = tasks.executor(ended.executor());
      if (where != null) {
        for (MapStatus status : ok.shuffles()) {
          outputs.add(status.shuffle(), new MapOutputLocation(partition, ended.attempt().taskId(),
              where.id(), where.address(), where.port(), status.partitionBytes()), status.partitionBytes());
        }
      }
    }
    if (taskSet.isFinished()) {
      taskSetFinished(taskSet);
    }
  }

  private void resultSucceeded(ActiveJob job, int partition, byte[] result) {
    if (!jobs.containsKey(job.id)) {
      return;
    }
    int index = job.indexOf(partition);
    if (index < 0 || job.isFinished(index)) {
      return;
    }
    try {
      job.handler.taskSucceeded(index, result);
    } catch (JobFailedException e) {
      failJob(job, e.getMessage());
      return;
    }
    job.finish(index);
    if (job.allFinished()) {
      finishJob(job);
    }
  }

  private void taskSetFinished(TaskSetManager taskSet) {
    tasks.remove(taskSet);
    ScheduledStage stage = taskSet.stage;
    if (stage.current != taskSet) {
      return; // an older attempt finished late
    }
    if (!running.remove(stage) && stage.isResult()) {
      return; // its job has ended and said so
    }
    bus.post(new StageCompleted(info(stage, taskSet), null, clock.nanoTime() - taskSet.submittedNanos));
    if (stage.isResult()) {
      return;
    }
    if (missingPartitions(stage).isEmpty()) {
      for (ShuffleId shuffle : stage.shufflesWritten()) {
        reportSkew(stage, taskSet, shuffle);
      }
      stageAvailable(stage);
    } else if (neededByAJob(stage)) {
      submitStage(stage); // outputs were lost while it ran
    }
  }

  /**
   * Tells listeners when one reduce partition of {@code shuffle} holds more than
   * {@value #SKEW_RATIO} times the median partition (and at least {@value #SKEW_MIN_BYTES} bytes,
   * so tiny shuffles do not raise alarms).
   */
  private void reportSkew(ScheduledStage stage, TaskSetManager taskSet, ShuffleId shuffle) {
    long[] sizes = outputs.partitionBytes(shuffle);
    if (sizes.length < 2) {
      return;
    }
    long[] sorted = sizes.clone();
    java.util.Arrays.sort(sorted);
    long median = sorted[sorted.length / 2];
    int largest = 0;
    for (int p = 1; p < sizes.length; p++) {
      if (sizes[p] > sizes[largest]) {
        largest = p;
      }
    }
    if (sizes[largest] >= SKEW_MIN_BYTES && sizes[largest] > SKEW_RATIO * median) {
      bus.post(new ListenerEvent.ShuffleSkewed(info(stage, taskSet), shuffle, largest, sizes[largest], median));
    }
  }

  static final int SKEW_RATIO = 5;
  static final long SKEW_MIN_BYTES = 1 << 20;

  private void failed(TaskSetManager taskSet, long taskId, TaskEndReason reason, boolean counts) {
    TaskSetManager.Running r = taskSet.running(taskId);
    if (r != null && counts && !(reason instanceof TaskEndReason.ExecutorLost)
        && taskSet.blame(r.executor(), exclusion)) {
      bus.post(new ListenerEvent.ExecutorExcluded(info(taskSet.stage, taskSet), r.executor(),
          exclusion.maxFailedTasksPerExecutor()));
    }
    TaskSetManager.Outcome outcome = taskSet.failed(taskId, counts);
    ScheduledStage stage = taskSet.stage;
    if (taskSet.gang && outcome != TaskSetManager.Outcome.IGNORED) {
      tasks.kill(taskSet, "another rank of the gang failed"); // the ranks run and fail together
    }
    if (outcome != TaskSetManager.Outcome.ABORT) {
      return;
    }
    tasks.kill(taskSet, jobLabel(stage) + stage.label + " failed");
    tasks.remove(taskSet);
    running.remove(stage);
    int partition = r == null ? -1 : taskSet.partitionOf(r.index());
    String message = taskSet.gang
        ? "MPI gang failed: " + jobLabel(stage) + stage.label + " rank " + partition + " (gang attempt "
            + taskSet.gangFailures() + " of " + taskSet.maxAttempts() + ", dflow.mpi.maxAttempts): "
            + reason.describe()
        : "task failed: " + jobLabel(stage) + stage.label + " task " + partition + " (attempt "
            + (r == null ? "?" : String.valueOf(r.attempt() + 1)) + " of " + conf.maxTaskAttempts() + ")"
            + (r == null ? "" : placeOf(r.executor())) + ": " + reason.describe();
    bus.post(new StageCompleted(info(stage, taskSet), message, clock.nanoTime() - taskSet.submittedNanos));
    abortStage(stage, message);
  }

  /** The map output a task could not fetch is lost: its stage runs again for it, then this one. */
  private void fetchFailed(TaskSetManager taskSet, long taskId, TaskEndReason.FetchFailed fetch) {
    taskSet.failed(taskId, false);
    ScheduledStage stage = taskSet.stage;
    ScheduledStage mapStage = shuffleStages.get(fetch.shuffle());
    if (fetch.mapIndex() >= 0) {
      outputs.remove(fetch.shuffle(), fetch.mapIndex(), fetch.executor());
    }
    if (stage.current != taskSet || taskSet.isZombie()) {
      return; // this attempt already gave up
    }
    taskSet.makeZombie();
    tasks.remove(taskSet);
    running.remove(stage);
    stage.fetchFailures++;
    bus.post(new StageCompleted(info(stage, taskSet), fetch.describe(), clock.nanoTime() - taskSet.submittedNanos));
    if (stage.fetchFailures >= conf.maxStageAttempts()) {
      abortStage(stage, jobLabel(stage) + stage.label + " failed " + stage.fetchFailures
          + " times (dflow.stage.maxAttempts=" + conf.maxStageAttempts() + "); the last: " + fetch.describe());
      return;
    }
    toResubmit.add(stage);
    if (mapStage != null) {
      toResubmit.add(mapStage);
    }
  }

  /**
   * " on executor E (where)" for an executor that says where it runs (a YARN container), else
   * nothing: a lost executor's reason says it, and elsewhere the executor's id is enough.
   */
  private String placeOf(ExecutorId executor) {
    ExecutorHandle handle = tasks.executor(executor);
    return handle == null || handle.where() == null ? "" : " on executor " + executor + " (" + handle.where() + ")";
  }

  private String jobLabel(ScheduledStage stage) {
    ActiveJob job = jobOf(stage);
    return job == null ? "" : "job " + job.id + " ";
  }

  // ---- executors

  private void executorLost(ExecutorId id, String reason, boolean replacing, boolean causedByApp) {
    if (tasks.executor(id) == null) {
      return;
    }
    List<Long> lost = tasks.removeExecutor(id);
    TaskEndReason.ExecutorLost why = new TaskEndReason.ExecutorLost(id, reason);
    for (long taskId : lost) {
      TaskSetManager taskSet = tasks.forget(taskId);
      if (taskSet != null) {
        failed(taskSet, taskId, why, causedByApp);
      }
    }
    for (ShuffleId shuffle : outputs.removeExecutor(id)) {
      ScheduledStage stage = shuffleStages.get(shuffle);
      if (stage != null && running.contains(stage) && stage.current != null) {
        stage.current.resubmitLostOutputs(id);
      }
    }
    cache.removeExecutor(id);
    bus.post(new ExecutorRemoved(id, reason));
    if (!tasks.hasExecutors() && !replacing) {
      for (ActiveJob job : new ArrayList<>(jobs.values())) {
        failJob(job, "no executors left (last lost: " + id + ": " + reason + ")");
      }
    }
  }
}
