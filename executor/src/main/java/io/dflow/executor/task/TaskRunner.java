package io.dflow.executor.task;

import io.dflow.api.UserCodeException;
import io.dflow.api.plan.TaskScope;
import io.dflow.arrow.ShuffleWriteResult;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.MapStatus;
import io.dflow.executor.protocol.TaskAttempt;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.executor.protocol.TaskMetrics;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.executor.shuffle.FetchFailedException;
import io.dflow.executor.shuffle.MapOutputWriter;
import io.dflow.hdfs.BadInputException;
import io.dflow.hdfs.CommitDeniedException;
import io.dflow.planner.Stage;
import io.dflow.planner.StageOutput;
import io.dflow.planner.TaskInput;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs one task attempt: computes its partition of each of its stage's sinks and hands the
 * records to the sink's output (a shuffle file, or the action), then reports. Every way it can
 * end becomes a {@link TaskEndReason}: a failure names the task's input and carries the cause;
 * nothing escapes to the slot thread.
 */
public final class TaskRunner {
  private final TaskEnvironment env;
  /** The job setting that bounds how long a killed task may take to stop, in milliseconds. */
  public static final String KILL_TIMEOUT_KEY = "dflow.task.killTimeoutMs";
  static final long DEFAULT_KILL_TIMEOUT_MILLIS = 30_000;
  private final TaskWatchdog watchdog = new TaskWatchdog(this::killed);
  /** Gives up on killed attempts that do not stop: see {@link #killed}. */
  private volatile java.util.concurrent.ScheduledExecutorService reaper;
  private volatile java.util.function.Consumer<TaskEnded> onAbandoned = ended -> { };
  private volatile CommitGate commitGate = CommitGate.ALWAYS;
  /** The attempts running now, for a kill from the driver. */
  private final Map<TaskAttempt, TaskContext> running = new java.util.concurrent.ConcurrentHashMap<>();
  private final HadoopConfCache hadoopConfs = new HadoopConfCache();
  /** The stage a slot thread ran last, deserialised: its next first attempts reuse it. */
  private final ThreadLocal<Prepared> lastStage = new ThreadLocal<>();

  /** A stage's sinks and, if its registration carries them, every partition's inputs, read back. */
  private record Prepared(RegisterStage stage, List<Stage.Sink> sinks, List<List<Stage.SourcePartition>> inputs) {}

  public TaskRunner(TaskEnvironment env) {
    this.env = env;
  }

  /** Kills {@code attempt} if it runs here (it then ends as {@link TaskEndReason.Killed}); else does nothing. */
  public void kill(TaskAttempt attempt, String reason) {
    TaskContext ctx = running.get(attempt);
    if (ctx != null) {
      ctx.kill(reason, true);
      killed(ctx);
    }
  }

  /**
   * What to do with the end of an attempt that did not stop within {@value #KILL_TIMEOUT_KEY} of
   * its kill (it ignores interrupts and runs no child): its slot thread is given up, and
   * {@code action} reports the attempt ended and makes up for the lost thread (a new slot
   * thread in-process, a new executor JVM otherwise).
   */
  public void onAbandoned(java.util.function.Consumer<TaskEnded> action) {
    this.onAbandoned = action;
  }

  /** Where attempts ask whether they may commit their output. */
  public void commitGate(CommitGate gate) {
    this.commitGate = gate;
  }

  /** {@code ctx} was just killed: unless it stops within its job's kill timeout, it is abandoned. */
  private void killed(TaskContext ctx) {
    long timeout = Long.parseLong(ctx.conf(KILL_TIMEOUT_KEY, String.valueOf(DEFAULT_KILL_TIMEOUT_MILLIS)));
    if (timeout <= 0) {
      return;
    }
    reaper().schedule(() -> {
      TaskAttempt attempt = ctx.launch.attempt();
      if (running.remove(attempt, ctx)) {
        String why = String.format(java.util.Locale.ROOT,
            "the task did not stop within %.1f s of being killed (%s); its slot thread was given up (%s=%d ms)",
            timeout / 1000.0, ctx.killed(), KILL_TIMEOUT_KEY, timeout);
        TaskEndReason reason = ctx.killedByDriver() ? new TaskEndReason.Killed(why)
            : new TaskEndReason.ExceptionFailure(TaskKilledException.class.getName(), why, attempt.toString(), why);
        onAbandoned.accept(new TaskEnded(attempt, env.executor(), reason, TaskMetrics.NONE));
      }
    }, timeout, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private java.util.concurrent.ScheduledExecutorService reaper() {
    if (reaper == null) {
      synchronized (this) {
        if (reaper == null) {
          reaper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "task-reaper");
            thread.setDaemon(true);
            return thread;
          });
        }
      }
    }
    return reaper;
  }

  /** Stops watching for hung tasks: the executor is closing. */
  public void close() {
    watchdog.close();
    if (reaper != null) {
      reaper.shutdownNow();
    }
  }

  public TaskEnded run(RegisterStage stage, TaskLaunch launch) {
    long start = System.nanoTime();
    long gcBefore = gcMillis();
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    List<Stage.Sink> sinks = null;
    Map<Stage.OpPartition, TaskInput> sources = Map.of();
    TaskContext ctx = null;
    Object watched = null;
    try {
      ClassLoader loader = env.loaders().loaderFor(stage.jarSha256());
      thread.setContextClassLoader(loader);
      Prepared prepared = prepare(stage, launch, loader);
      sinks = prepared.sinks();
      if (launch.inputs() != null) {
        sources = Stage.byOpPartition(sourcePartitions(launch.inputs(), loader));
      } else if (prepared.inputs() != null) {
        sources = Stage.byOpPartition(prepared.inputs().get(launch.attempt().partition()));
      }
      ctx = new TaskContext(env, stage, launch, loader, () -> hadoopConfs.get(stage.conf()),
          sinks.stream().anyMatch(s -> s.output() instanceof StageOutput.ShuffleWrite));
      ctx.commitGate = commitGate;
      TaskScope.enter(ctx);
      running.put(launch.attempt(), ctx);
      watched = watchdog.watch(ctx);
      TaskEndReason.Success success = runSinks(ctx, sinks, sources);
      TaskMetrics metrics = ctx.metrics(millisSince(start)).withGcMillis(gcMillis() - gcBefore);
      ctx.close();
      return new TaskEnded(launch.attempt(), env.executor(), success, metrics);
    } catch (Throwable t) {
      if (ctx != null && ctx.killed() != null) {
        t = new TaskKilledException(ctx.killed(), t);
      }
      closeQuietly(ctx, t);
      CommitDeniedException denied = causeOf(t, CommitDeniedException.class);
      if (denied != null) { // what became of its output says more than its kill
        return new TaskEnded(launch.attempt(), env.executor(), new TaskEndReason.Killed(denied.getMessage()),
            (ctx == null ? TaskMetrics.NONE : ctx.metrics(millisSince(start))).withGcMillis(gcMillis() - gcBefore));
      }
      if (ctx != null && ctx.killedByDriver()) {
        return new TaskEnded(launch.attempt(), env.executor(), new TaskEndReason.Killed(ctx.killed()),
            ctx.metrics(millisSince(start)).withGcMillis(gcMillis() - gcBefore));
      }
      TaskMetrics metrics = (ctx == null ? new TaskMetrics(0, 0, 0, 0, millisSince(start))
          : ctx.metrics(millisSince(start))).withGcMillis(gcMillis() - gcBefore);
      return new TaskEnded(launch.attempt(), env.executor(), failure(t, sinks, launch, sources), metrics);
    } finally {
      if (ctx != null) {
        running.remove(launch.attempt(), ctx); // an abandoned attempt's late end is ignored by the driver
      }
      watchdog.forget(watched);
      Thread.interrupted(); // a kill that came as the task ended must not reach the slot's next task
      TaskScope.exit();
      thread.setContextClassLoader(before);
    }
  }

  /** The garbage collection time of this JVM so far, in milliseconds, summed over its collectors. */
  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime()); // -1 when a collector does not say
    }
    return total;
  }

  private static TaskEndReason.Success runSinks(TaskContext ctx, List<Stage.Sink> sinks,
      Map<Stage.OpPartition, TaskInput> sources) throws Exception {
    OpEvaluator evaluator = new OpEvaluator(ctx, sinks.stream().map(Stage.Sink::root).toList(), sources);
    byte[] result = null;
    List<MapStatus> statuses = new ArrayList<>();
    for (Stage.Sink sink : sinks) {
      Iterator<Object> records = ctx.counting(evaluator.compute(sink.root(), ctx.partition()));
      if (sink.output() instanceof StageOutput.ShuffleWrite write) {
        ShuffleWriteResult written = MapOutputWriter.write(ctx.env.shuffles(), ctx.partition(),
            ctx.launch.attempt().taskId(), write, records, ctx.allocator(), ctx.sortSettings());
        long[] lengths = new long[written.numPartitions()];
        for (int p = 0; p < lengths.length; p++) {
          lengths[p] = written.length(p);
        }
        statuses.add(new MapStatus(write.shuffle(), lengths));
        ctx.shuffleBytesWritten += written.totalBytes();
        ctx.shuffleRawBytesWritten += written.totalRawBytes();
        ctx.recordsOut += written.totalRecords();
      } else {
        result = TaskOutputs.result(ctx, ((StageOutput.Result) sink.output()).action(), records);
      }
    }
    ctx.closeResources();
    return new TaskEndReason.Success(result, statuses, ctx.blockUpdates, ctx.counters);
  }

  /**
   * The stage's sinks, deserialised. A slot reuses them for its next first attempt of the same
   * stage attempt, as Flink keeps one instance of a function per parallel slot: deserialising a
   * task's functions costs more than running a tiny task. A retried attempt gets fresh copies, so
   * state a failed attempt left in a function cannot leak into its retry.
   */
  @SuppressWarnings("unchecked")
  private Prepared prepare(RegisterStage stage, TaskLaunch launch, ClassLoader loader) throws java.io.IOException {
    Prepared last = lastStage.get();
    boolean first = launch.attempt().attempt() == 0;
    if (first && last != null && last.stage() == stage) {
      return last;
    }
    List<Stage.Sink> sinks = (List<Stage.Sink>) JavaSerde.deserialize(stage.sinks(), loader, List.class);
    List<List<Stage.SourcePartition>> inputs = !first || stage.inputs() == null ? null
        : (List<List<Stage.SourcePartition>>) JavaSerde.deserialize(stage.inputs(), loader, List.class);
    Prepared prepared = new Prepared(stage, sinks, inputs);
    if (first) {
      lastStage.set(prepared);
    }
    return prepared;
  }

  @SuppressWarnings("unchecked")
  private static List<Stage.SourcePartition> sourcePartitions(byte[] inputs, ClassLoader loader)
      throws java.io.IOException {
    return (List<Stage.SourcePartition>) JavaSerde.deserialize(inputs, loader, List.class);
  }

  private static TaskEndReason failure(Throwable t, List<Stage.Sink> sinks, TaskLaunch launch,
      Map<Stage.OpPartition, TaskInput> sources) {
    FetchFailedException f = causeOf(t, FetchFailedException.class);
    if (f != null) {
      return new TaskEndReason.FetchFailed(f.shuffle(), f.mapIndex(), f.executor(), f.getMessage());
    }
    Throwable shown = t instanceof UserCodeException && t.getCause() != null ? t.getCause() : t;
    String where = sinks == null ? launch.attempt().toString()
        : Stage.describeInputs(sinks.stream().map(Stage.Sink::root).toList(),
            launch.attempt().partition(), sources, TaskInput::describe);
    return new TaskEndReason.ExceptionFailure(shown.getClass().getName(), shown.getMessage(), where,
        describe(t));
  }

  private static void closeQuietly(TaskContext ctx, Throwable failure) {
    if (ctx == null) {
      return;
    }
    try {
      ctx.close();
    } catch (Exception | Error e) {
      failure.addSuppressed(e);
    }
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * The user's own exception when it came from user code, with its stack trace; bad input by its
   * message alone, which names the file and where (the fault is in the data, not the code).
   */
  static String describe(Throwable t) {
    BadInputException bad = causeOf(t, BadInputException.class);
    if (bad != null) {
      return bad.getMessage();
    }
    Throwable shown = t instanceof UserCodeException && t.getCause() != null ? t.getCause() : t;
    StringWriter trace = new StringWriter();
    shown.printStackTrace(new PrintWriter(trace));
    return trace.toString().strip();
  }

  /** The first of {@code t} and its causes that is a {@code type}, or null. */
  private static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
