package io.dflow.executor.task;

import io.dflow.api.UserCodeException;
import io.dflow.api.plan.Steps;
import io.dflow.executor.ClassLoaderSource;
import io.dflow.executor.protocol.ControlMessage.LaunchTask;
import io.dflow.executor.protocol.ControlMessage.TaskFinished;
import io.dflow.executor.protocol.TaskMetrics;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.executor.shuffle.ShuffleFetcher;
import io.dflow.executor.shuffle.ShuffleStore;
import io.dflow.planner.TaskSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Iterator;

/**
 * Runs one task attempt: reads its input, pulls the records through the fused pipeline and
 * hands them to its output, then reports. Any failure becomes a {@link TaskFinished} that names
 * the task's input and carries the cause; nothing escapes to the slot thread.
 */
public final class TaskRunner {
  private final String executorId;
  private final ClassLoaderSource loaders;
  private final ShuffleStore shuffleStore;
  private final ShuffleFetcher fetcher;
  private final HadoopConfCache hadoopConfs = new HadoopConfCache();

  public TaskRunner(String executorId, ClassLoaderSource loaders, ShuffleStore shuffleStore,
      ShuffleFetcher fetcher) {
    this.executorId = executorId;
    this.loaders = loaders;
    this.shuffleStore = shuffleStore;
    this.fetcher = fetcher;
  }

  public TaskFinished run(LaunchTask launch) {
    long start = System.nanoTime();
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    TaskSpec spec = null;
    try {
      ClassLoader loader = loaders.loaderFor(launch.jarSha256());
      thread.setContextClassLoader(loader);
      spec = JavaSerde.deserialize(launch.task(), loader, TaskSpec.class);
      try (TaskContext ctx = new TaskContext(launch, spec, loader, shuffleStore, fetcher,
          () -> hadoopConfs.get(launch.conf()))) {
        Iterator<Object> input = TaskInputs.open(ctx);
        Iterator<Object> records = Steps.pipeline(spec.pipeline(), input);
        byte[] result = TaskOutputs.write(ctx, records);
        TaskMetrics metrics = ctx.metrics(millisSince(start));
        ctx.closeInputs();
        return new TaskFinished(launch.attempt(), executorId, true, result, metrics, null);
      }
    } catch (Throwable t) {
      String where = spec == null ? "" : spec.input().describe() + ": ";
      return new TaskFinished(launch.attempt(), executorId, false, null,
          new TaskMetrics(0, 0, 0, 0, millisSince(start)), where + describe(t));
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** The user's own exception when it came from user code, with its stack trace. */
  static String describe(Throwable t) {
    Throwable shown = t instanceof UserCodeException && t.getCause() != null ? t.getCause() : t;
    StringWriter trace = new StringWriter();
    shown.printStackTrace(new PrintWriter(trace));
    return trace.toString().strip();
  }
}
