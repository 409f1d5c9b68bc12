package io.dflow.driver.scheduler;

import io.dflow.api.Dataset;
import io.dflow.api.JobContext;
import io.dflow.api.StorageLevel;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.InputFile;
import io.dflow.api.plan.PlanningRunner;
import io.dflow.api.plan.LogicalNode;
import io.dflow.executor.protocol.BlockUpdate;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.JobId;
import io.dflow.executor.protocol.MapStatus;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.executor.protocol.TaskMetrics;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.planner.PhysicalPlan;
import io.dflow.planner.PlanInputs;
import io.dflow.planner.Planner;
import io.dflow.planner.PlannerConf;
import io.dflow.planner.Stage;
import io.dflow.planner.StageOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A DAG scheduler driven by hand, in simulated time: jobs are planned from real datasets, tasks
 * go to {@link FakeExecutor}s, and the test says how each attempt ends. Every call handles its
 * events and then the scheduler's end-of-batch work, as the event loop would, on the test's thread.
 */
final class SchedulerFixture implements AutoCloseable {
  final ManualClock clock = new ManualClock();
  final ListenerBus bus = new ListenerBus();
  final List<ListenerEvent> events = Collections.synchronizedList(new ArrayList<>());
  final Counters counters = new Counters();
  final DagScheduler dag;
  final JobContext ctx;
  private final Planner planner;
  private final Runner runner = new Runner();
  private int nextJob;

  /** A job submitted by the fixture: its per-partition results as they came, and its outcome. */
  static final class JobRun {
    final Map<Integer, byte[]> results = new HashMap<>();
    final CompletableFuture<JobSummary> outcome = new CompletableFuture<>();
    PhysicalPlan plan;
  }

  SchedulerFixture(int maxTaskAttempts, int maxStageAttempts, Map<String, List<InputFile>> files) {
    this(maxTaskAttempts, maxStageAttempts, files, GangLauncher.NONE);
  }

  SchedulerFixture(int maxTaskAttempts, int maxStageAttempts, Map<String, List<InputFile>> files,
      GangLauncher gangs) {
    this(Map.of(), maxTaskAttempts, maxStageAttempts, files, gangs, Topology.FLAT);
  }

  /** A fixture whose scheduler has settings {@code conf} (locality waits) and knows the racks of {@code topology}. */
  SchedulerFixture(Map<String, String> conf, Map<String, List<InputFile>> files, Topology topology) {
    this(conf, 1, 4, files, GangLauncher.NONE, topology);
  }

  private SchedulerFixture(Map<String, String> conf, int maxTaskAttempts, int maxStageAttempts,
      Map<String, List<InputFile>> files, GangLauncher gangs, Topology topology) {
    dag = new DagScheduler(new SchedulerConf(null, conf, maxTaskAttempts, maxStageAttempts, 2), clock, bus,
        counters, gangs, topology);
    bus.add(events::add);
    planner = new Planner(new PlannerConf(4, 128L << 20, 1), path -> {
      List<InputFile> listed = files.get(path);
      if (listed == null) {
        throw new IOException("no such path " + path);
      }
      return listed;
    });
    ctx = new JobContext(runner, Map.of(), 4);
  }

  SchedulerFixture(int maxTaskAttempts, int maxStageAttempts) {
    this(maxTaskAttempts, maxStageAttempts, Map.of());
  }

  FakeExecutor executor(String id, String host, int slots) {
    FakeExecutor e = new FakeExecutor(id, host, slots);
    dag.handle(new SchedulerEvent.ExecutorAdded(e));
    dag.afterEvents();
    return e;
  }

  /** Submits {@code action} over {@code dataset} as the next job, over all result partitions. */
  JobRun submit(Dataset<?> dataset, Action action) {
    PhysicalPlan plan = planner.plan(dataset.logicalNode(), action,
        new PlanInputs(runner.persistedNodes(), dag.knownShuffles(), Map.of()));
    JobRun run = new JobRun();
    run.plan = plan;
    int n = plan.resultStage().numTasks();
    List<SerializedStage> stages = plan.stages().stream().map(SerializedStage::of).toList();
    dag.handle(new SchedulerEvent.JobSubmitted(new JobId(nextJob++), plan, stages, 0, n, run.results::put, null,
        action.describe(), run.outcome));
    dag.afterEvents();
    return run;
  }

  /** The run time every ended attempt reports. */
  long runMillis = 1;

  /** Moves the clock on, then lets the scheduler act on it, as its event loop does when it wakes. */
  void advanceMillis(long millis) {
    clock.advanceMillis(millis);
    dag.afterEvents();
  }

  /** Ends {@code launch} on {@code executor} with {@code reason}. */
  void end(FakeExecutor executor, TaskLaunch launch, TaskEndReason reason) {
    endAll(executor, List.of(launch), List.of(reason));
  }

  /** Ends several attempts in one status update. */
  void endAll(FakeExecutor executor, List<TaskLaunch> launches, List<TaskEndReason> reasons) {
    List<TaskEnded> ended = new ArrayList<>();
    for (int i = 0; i < launches.size(); i++) {
      ended.add(new TaskEnded(launches.get(i).attempt(), executor.id(), reasons.get(i),
          new TaskMetrics(1, 0, 0, 0, runMillis)));
    }
    dag.handle(new SchedulerEvent.StatusReceived(executor.id(), ended));
    dag.afterEvents();
  }

  /** Ends {@code launch} as a success: a map task writes each of its stage's shuffles, a result task returns 1L. */
  void succeed(FakeExecutor executor, TaskLaunch launch) {
    end(executor, launch, success(executor, launch, Map.of(), List.of()));
  }

  /** Ends every launch given as a success, in one status update. */
  void succeedAll(FakeExecutor executor, List<TaskLaunch> launches) {
    List<TaskEndReason> reasons = new ArrayList<>();
    for (TaskLaunch l : launches) {
      reasons.add(success(executor, l, Map.of(), List.of()));
    }
    endAll(executor, launches, reasons);
  }

  TaskEndReason.Success success(FakeExecutor executor, TaskLaunch launch, Map<String, Long> counters,
      List<BlockUpdate> blocks) {
    return success(executor.stages.get(launch.attempt().stage()), counters, blocks);
  }

  /** A success of a task of {@code stage}, as {@link #succeed} makes it. */
  TaskEndReason.Success success(RegisterStage stage, Map<String, Long> counters, List<BlockUpdate> blocks) {
    List<Stage.Sink> sinks = sinks(stage);
    List<MapStatus> statuses = new ArrayList<>();
    byte[] result = null;
    for (Stage.Sink sink : sinks) {
      if (sink.output() instanceof StageOutput.ShuffleWrite w) {
        long[] sizes = new long[w.spec().numPartitions()];
        java.util.Arrays.fill(sizes, 100);
        statuses.add(new MapStatus(w.shuffle(), sizes));
      } else {
        result = JavaSerde.serialize(1L);
      }
    }
    return new TaskEndReason.Success(result, statuses, blocks, counters);
  }

  @SuppressWarnings("unchecked")
  static List<Stage.Sink> sinks(RegisterStage stage) {
    try {
      return (List<Stage.Sink>) JavaSerde.deserialize(stage.sinks(), SchedulerFixture.class.getClassLoader(),
          List.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The listener events so far of one type, once the bus has delivered everything posted. */
  <T extends ListenerEvent> List<T> events(Class<T> type) {
    bus.flush();
    synchronized (events) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  @Override
  public void close() {
    bus.close();
  }

  /** Plans nothing itself: the fixture submits jobs; datasets only need somewhere to be built. */
  private final class Runner extends PlanningRunner {
    @Override
    public Object run(LogicalNode node, Action action) {
      throw new UnsupportedOperationException("submit jobs through the fixture");
    }

    @Override
    public String explain(LogicalNode node, Action action) {
      throw new UnsupportedOperationException();
    }

    Map<Integer, StorageLevel> persistedNodes() {
      return persisted();
    }
  }
}
