package io.dflow.driver;

import io.dflow.api.JobContext;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.LogicalNode;
import io.dflow.driver.backend.ClusterBackend;
import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.driver.scheduler.StageRun;
import io.dflow.driver.scheduler.TaskScheduler;
import io.dflow.executor.protocol.ControlMessage.LaunchTask;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.protocol.TaskAttempt;
import io.dflow.executor.protocol.TaskMetrics;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.planner.PhysicalPlan;
import io.dflow.planner.Planner;
import io.dflow.planner.PlannerConf;
import io.dflow.planner.Stage;
import io.dflow.planner.StageInput;
import io.dflow.planner.StageOutput;
import io.dflow.planner.TaskInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A running application: its executors, its scheduler, and the {@link JobRunner} behind the
 * {@link JobContext} a job builds datasets from. Each action is one job: plan, run the stages
 * in order (map outputs stay on the executors; reduce tasks are told where they are), commit.
 *
 * <p>Later capabilities plug in here: locality waits in {@link TaskScheduler}, recovery of lost
 * map outputs in {@link #runStages} (rerun the parent stage's missing tasks), streaming and MPI
 * stages as new {@code StageOutput}/{@code TaskInput} kinds run by the executor.
 */
public final class Session implements JobRunner, AutoCloseable {
  private final String appId;
  private final Map<String, String> conf;
  private final ClusterBackend backend;
  private final TaskScheduler scheduler = new TaskScheduler();
  private final JobFiles files;
  private final ClassLoader jobLoader;
  private final String jarSha256;
  private final ProgressReporter progress;
  private final Map<String, ExecutorHandle> executors = new HashMap<>();
  private final int totalSlots;
  private final Planner planner;
  private int jobs;
  private int stagesRun;
  private int tasksRun;

  Session(String appId, Map<String, String> conf, Master master, ClusterBackend backend,
      ClassLoader jobLoader, String jarSha256, ProgressReporter progress) throws IOException {
    this.appId = appId;
    this.conf = Map.copyOf(conf);
    this.backend = backend;
    this.jobLoader = jobLoader;
    this.jarSha256 = jarSha256;
    this.progress = progress;
    this.totalSlots = master.totalSlots();
    this.files = new JobFiles(conf);
    this.planner = new Planner(PlannerConf.from(conf, totalSlots), files::list);
    try {
      for (ExecutorHandle executor : backend.start(scheduler)) {
        executors.put(executor.id(), executor);
        scheduler.addExecutor(executor);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }


  /** What the job's entry point receives. */
  public JobContext newContext() {
    return new JobContext(this, conf, totalSlots);
  }

  public int stagesRun() {
    return stagesRun;
  }

  public int tasksRun() {
    return tasksRun;
  }

  @Override
  public String explain(LogicalNode node, Action action) {
    return JobFiles.planOrFail(planner, node, action).explain();
  }

  @Override
  public Object run(LogicalNode node, Action action) {
    LogicalNode resolved = new SortBoundsSampler(this, JobContext.collectMaxBytes(conf)).resolve(node);
    PhysicalPlan plan = JobFiles.planOrFail(planner, resolved, action);
    int job = jobs++;
    if (action instanceof Action.SaveText save) {
      return files.commitOutput(save.path(), TaskAttempt.jobKey(appId, job), overwrite(),
          plan.resultStage().numTasks(), () -> runStages(job, plan));
    }
    return runStages(job, plan);
  }

  /** Runs every stage of {@code plan}; returns the action's result. */
  private Object runStages(int job, PhysicalPlan plan) {
    Map<Integer, List<MapOutputLocation>> mapOutputs = new HashMap<>();
    List<StageRun.Placed> last = List.of();
    for (Stage stage : plan.stages()) {
      last = runStage(job, stage, mapOutputs);
      if (stage.output() instanceof StageOutput.ShuffleWrite write) {
        mapOutputs.put(write.shuffleId(), locations(last));
      }
      stagesRun++;
      tasksRun += stage.numTasks();
    }
    return ResultCollector.collect(plan.action(), last, jobLoader);
  }

  private List<StageRun.Placed> runStage(int job, Stage stage, Map<Integer, List<MapOutputLocation>> mapOutputs) {
    List<MapOutputLocation> inputs = stage.input() instanceof StageInput.Shuffle s
        ? mapOutputs.get(s.shuffleId()) : List.of();
    List<LaunchTask> tasks = new ArrayList<>(stage.numTasks());
    List<List<String>> hosts = new ArrayList<>(stage.numTasks());
    for (int i = 0; i < stage.numTasks(); i++) {
      var spec = stage.task(i);
      tasks.add(new LaunchTask(new TaskAttempt(appId, job, stage.id(), i, 0), jarSha256, conf,
          JavaSerde.serialize(spec), inputs));
      hosts.add(spec.input() instanceof TaskInput.ReadSplit r ? r.split().hosts() : List.of());
    }
    String label = "job " + job + " stage " + stage.id() + " (" + stage.input().describe()
        + (stage.pipeline().isEmpty() ? "" : " -> " + stage.pipelineText()) + ")";
    try (ProgressReporter.Stage shown = progress.forStage(label, tasks.size())) {
      StageRun run = new StageRun("job " + job + " stage " + stage.id(), tasks, hosts,
          DflowConf.intValue(conf, DflowConf.MAX_ATTEMPTS), shown, new CompletableFuture<>());
      long start = System.nanoTime();
      scheduler.submit(run);
      List<StageRun.Placed> placed;
      try {
        placed = run.outcome().join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      TaskMetrics total = placed.stream().map(p -> p.finished().metrics())
          .reduce(TaskMetrics.NONE, TaskMetrics::plus);
      shown.finished(placed.size(), (System.nanoTime() - start) / 1e9, total);
      return placed;
    }
  }

  private List<MapOutputLocation> locations(List<StageRun.Placed> placed) {
    List<MapOutputLocation> out = new ArrayList<>(placed.size());
    for (int i = 0; i < placed.size(); i++) {
      ExecutorHandle e = executors.get(placed.get(i).executorId());
      out.add(new MapOutputLocation(i, e.id(), e.address(), e.port()));
    }
    return out;
  }

  private boolean overwrite() {
    return Boolean.parseBoolean(conf.getOrDefault(DflowConf.OVERWRITE, "false"));
  }


  @Override
  public void close() {
    scheduler.close();
    backend.close();
  }
}
