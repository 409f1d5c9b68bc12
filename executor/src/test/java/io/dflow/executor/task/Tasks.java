package io.dflow.executor.task;

import io.dflow.api.plan.Action;
import io.dflow.api.plan.Step;
import io.dflow.executor.Executor;
import io.dflow.executor.protocol.ControlMessage.LaunchTask;
import io.dflow.executor.protocol.ControlMessage.TaskFinished;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.protocol.TaskAttempt;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.planner.StageOutput;
import io.dflow.planner.TaskInput;
import io.dflow.planner.TaskSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Building and running real task launches, as the driver sends them, for the executor tests. */
public final class Tasks {
  public static final String APP = "app-test";

  private Tasks() {}

  /** A launch of attempt 0 of {@code spec}, serialised the way the driver does. */
  public static LaunchTask launch(int job, TaskSpec spec, String jarSha256, List<MapOutputLocation> mapOutputs) {
    return new LaunchTask(new TaskAttempt(APP, job, spec.stageId(), spec.index(), 0), jarSha256, Map.of(),
        JavaSerde.serialize(spec), mapOutputs);
  }

  public static LaunchTask launch(int job, TaskSpec spec) {
    return launch(job, spec, null, List.of());
  }

  public static TaskSpec spec(int stage, int index, TaskInput input, List<Step> pipeline, StageOutput output) {
    return new TaskSpec(stage, index, input, pipeline, output);
  }

  public static TaskInput.ReadSlice slice(List<?> records) {
    return new TaskInput.ReadSlice(new ArrayList<>(records));
  }

  public static StageOutput collect() {
    return new StageOutput.Result(new Action.Collect(64 << 20));
  }

  public static StageOutput count() {
    return new StageOutput.Result(new Action.Count());
  }

  /** Launches {@code task} on {@code executor} and waits for it to finish. */
  public static TaskFinished run(Executor executor, LaunchTask task) throws Exception {
    CompletableFuture<TaskFinished> done = new CompletableFuture<>();
    executor.launch(task, done::complete);
    return done.get(30, TimeUnit.SECONDS);
  }

  /** The result of a task that must have succeeded, read as the driver reads it. */
  public static <T> T result(TaskFinished finished, ClassLoader loader, Class<T> type) throws IOException {
    if (!finished.succeeded()) {
      throw new AssertionError("task failed: " + finished.error());
    }
    return JavaSerde.deserialize(finished.result(), loader, type);
  }

  /** Every record a set of collect tasks returned, in task order. */
  public static List<Object> collected(List<TaskFinished> tasks, ClassLoader loader) throws IOException {
    List<Object> all = new ArrayList<>();
    for (TaskFinished t : tasks) {
      all.addAll(result(t, loader, List.class));
    }
    return all;
  }
}
