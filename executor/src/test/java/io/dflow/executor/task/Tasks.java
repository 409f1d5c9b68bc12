package io.dflow.executor.task;

import io.dflow.api.Dataset;
import io.dflow.api.JobContext;
import io.dflow.api.Partitioner;
import io.dflow.api.StorageLevel;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.InputFile;
import io.dflow.api.plan.PlanningRunner;
import io.dflow.api.plan.LogicalNode;
import io.dflow.executor.Executor;
import io.dflow.executor.protocol.CachedBlockLocation;
import io.dflow.executor.protocol.ControlMessage.LaunchTasks;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.StatusUpdate;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.protocol.MapStatus;
import io.dflow.executor.protocol.StageAttemptId;
import io.dflow.executor.protocol.StageId;
import io.dflow.executor.protocol.TaskAttempt;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.planner.InputCatalog;
import io.dflow.planner.PartitionOp;
import io.dflow.planner.PhysicalPlan;
import io.dflow.planner.PlanInputs;
import io.dflow.planner.Planner;
import io.dflow.planner.PlannerConf;
import io.dflow.planner.ShuffleId;
import io.dflow.planner.Stage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Building and running real task launches for the executor tests, the way the driver does:
 * datasets built with the API and cut into stages by the real {@link Planner}, registered with
 * an executor once per stage attempt, and launched with each task's serialised source partitions.
 */
public final class Tasks {
  public static final ClassLoader LOADER = Tasks.class.getClassLoader();
  /** Where in-process map outputs are said to be: never dialled, since the reader is their executor. */
  public static final String LOCAL_ADDRESS = "localhost";

  private static final AtomicLong TASK_IDS = new AtomicLong(100);
  private static final AtomicInteger STAGE_IDS = new AtomicInteger();

  private Tasks() {}

  /**
   * A driver's planning side without its cluster: a {@link JobContext} whose datasets the tests
   * plan with {@link #plan}, remembering (as the driver does) which datasets are persisted and
   * which range bounds were sampled for each sort. Running an action directly is refused.
   */
  public static final class Planning extends PlanningRunner {
    public final JobContext context;
    private final Planner planner;
    private final Map<Integer, Partitioner> sortBounds = new HashMap<>();
    private final Map<Long, byte[]> broadcasts = new ConcurrentHashMap<>();
    private final AtomicLong broadcastFetches = new AtomicLong();

    /** Text sources are listed by {@code catalog} and cut into splits of at most {@code maxSplitBytes}. */
    public Planning(InputCatalog catalog, long maxSplitBytes) {
      this.planner = new Planner(new PlannerConf(2, maxSplitBytes, 2), catalog);
      this.context = new JobContext(this, Map.of(), 2);
    }

    /** For jobs over in-memory collections only. */
    public Planning() {
      this(path -> {
        throw new FileNotFoundException("these tests read no files: " + path);
      }, PlannerConf.DEFAULT_MAX_SPLIT_BYTES);
    }

    /** A catalog of local files, each one block held by {@code localhost}. */
    public static InputCatalog localFiles() {
      return path -> {
        long size = Files.size(Path.of(path));
        return List.of(new InputFile(path, size, List.of(new InputFile.BlockInfo(0, size, List.of("localhost")))));
      };
    }

    /** The range partitioner the driver would have sampled for {@code sorted}, a {@code sortByKey} dataset. */
    public void sortBounds(Dataset<?> sorted, Partitioner partitioner) {
      sortBounds.put(sorted.logicalNode().id(), partitioner);
    }

    public PhysicalPlan plan(Dataset<?> dataset, Action action) {
      return planner.plan(dataset.logicalNode(), action, new PlanInputs(persisted(), Set.of(), sortBounds));
    }

    @Override
    public Object run(LogicalNode node, Action action) {
      throw new UnsupportedOperationException("the executor tests plan jobs and run their stages by hand");
    }

    @Override
    public String explain(LogicalNode node, Action action) {
      return planner.plan(node, action, new PlanInputs(persisted(), Set.of(), sortBounds)).explain();
    }

    /** Serialised once, as the driver does; executors fetch it with {@link #broadcastBytes}. */
    @Override
    public long broadcast(Object value) {
      long id = broadcasts.size() + 1L;
      broadcasts.put(id, JavaSerde.serialize(value));
      return id;
    }

    @Override
    public void destroyBroadcast(long id) {
      broadcasts.remove(id);
    }

    /** The driver's side of a broadcast fetch: an executor's {@code BroadcastCache.Source}. */
    public byte[] broadcastBytes(long id) throws IOException {
      broadcastFetches.incrementAndGet();
      byte[] bytes = broadcasts.get(id);
      if (bytes == null) {
        throw new IOException("no broadcast " + id);
      }
      return bytes;
    }

    /** How many times executors fetched a broadcast. */
    public long broadcastFetches() {
      return broadcastFetches.get();
    }
  }

  /** One attempt of a stage, as registered with executors: what its tasks share. */
  public record StageRun(Stage stage, RegisterStage registration) {
    public StageAttemptId id() {
      return registration.stage();
    }

    /** A launch of attempt 0 of task {@code partition}, with a fresh task id. */
    public TaskLaunch launch(int partition) {
      return launch(partition, 0, List.of());
    }

    /** A launch of attempt 0 of task {@code partition} that may read cached partitions from {@code cached}. */
    public TaskLaunch launch(int partition, List<CachedBlockLocation> cached) {
      return launch(partition, 0, cached);
    }

    /**
     * A launch of attempt {@code attempt} of task {@code partition}. As the driver does, a first
     * attempt of a stage registered with every partition's inputs carries none of its own; any
     * other carries its source partitions.
     */
    public TaskLaunch launch(int partition, int attempt, List<CachedBlockLocation> cached) {
      byte[] own = attempt == 0 && registration.inputs() != null ? null : inputs(stage, partition);
      return new TaskLaunch(new TaskAttempt(TASK_IDS.incrementAndGet(), id(), partition, attempt), own, cached);
    }
  }

  /**
   * Registers {@code stage} under a fresh stage id, reading the given map outputs, as the driver
   * does: with every partition's source inputs in the registration when there are any (the
   * driver's choice for small inputs), so first attempts are sent none of their own.
   */
  public static StageRun register(Stage stage, String jarSha256, Map<String, String> conf,
      Map<ShuffleId, List<MapOutputLocation>> shuffleInputs, String commitJob) {
    return register(stage, jarSha256, conf, sharedInputs(stage), shuffleInputs, commitJob);
  }

  public static StageRun register(Stage stage, Map<ShuffleId, List<MapOutputLocation>> shuffleInputs) {
    return register(stage, null, Map.of(), shuffleInputs, null);
  }

  public static StageRun register(Stage stage) {
    return register(stage, Map.of());
  }

  /** Registers {@code stage} without its inputs, as the driver does when they are large: each launch carries its own. */
  public static StageRun registerWithoutInputs(Stage stage, Map<ShuffleId, List<MapOutputLocation>> shuffleInputs) {
    return register(stage, null, Map.of(), null, shuffleInputs, null);
  }

  private static StageRun register(Stage stage, String jarSha256, Map<String, String> conf, byte[] inputs,
      Map<ShuffleId, List<MapOutputLocation>> shuffleInputs, String commitJob) {
    StageAttemptId id = new StageAttemptId(new StageId(STAGE_IDS.incrementAndGet()), 0);
    return new StageRun(stage, new RegisterStage(id, jarSha256, conf, sinks(stage), inputs, shuffleInputs, commitJob));
  }

  /**
   * Every partition's source inputs in one piece ({@code List<List<Stage.SourcePartition>>}), or
   * null when there are none.
   */
  public static byte[] sharedInputs(Stage stage) {
    List<List<Stage.SourcePartition>> all = new ArrayList<>();
    boolean any = false;
    for (int p = 0; p < stage.numTasks(); p++) {
      List<Stage.SourcePartition> in = stage.taskInputs(p);
      any |= !in.isEmpty();
      all.add(new ArrayList<>(in));
    }
    return any ? JavaSerde.serialize(all) : null;
  }

  /** The stage's sinks, serialised as the driver sends them. */
  public static byte[] sinks(Stage stage) {
    return JavaSerde.serialize(new ArrayList<>(stage.sinks()));
  }

  /** The serialised source partitions of task {@code partition}, or null when it reads no source. */
  public static byte[] inputs(Stage stage, int partition) {
    List<Stage.SourcePartition> in = stage.taskInputs(partition);
    return in.isEmpty() ? null : JavaSerde.serialize(new ArrayList<>(in));
  }

  /**
   * An executor's status updates, as the driver receives them: each task's end by task id.
   * A task reported twice is recorded as an error, which {@link #await} reports.
   */
  public static final class Reports implements Consumer<StatusUpdate> {
    private final Map<Long, CompletableFuture<TaskEnded>> ended = new ConcurrentHashMap<>();
    private final List<String> duplicates = new CopyOnWriteArrayList<>();
    private final AtomicInteger updates = new AtomicInteger();

    @Override
    public void accept(StatusUpdate update) {
      updates.incrementAndGet();
      for (TaskEnded e : update.ended()) {
        if (!future(e.attempt().taskId()).complete(e)) {
          duplicates.add(e.attempt().toString());
        }
      }
    }

    private CompletableFuture<TaskEnded> future(long taskId) {
      return ended.computeIfAbsent(taskId, id -> new CompletableFuture<>());
    }

    /** How the attempt ended, waiting for its report. */
    public TaskEnded await(TaskAttempt attempt) throws Exception {
      TaskEnded e = future(attempt.taskId()).get(30, TimeUnit.SECONDS);
      if (!duplicates.isEmpty()) {
        throw new AssertionError("tasks reported more than once: " + duplicates);
      }
      return e;
    }

    /** How many status update messages arrived. */
    public int updates() {
      return updates.get();
    }
  }

  /** Registers the stage with {@code executor} and runs task {@code partition}, waiting for its end. */
  public static TaskEnded run(Executor executor, Reports reports, StageRun stage, int partition) throws Exception {
    return run(executor, reports, stage, stage.launch(partition));
  }

  public static TaskEnded run(Executor executor, Reports reports, StageRun stage, TaskLaunch launch) throws Exception {
    executor.handle(stage.registration());
    executor.handle(new LaunchTasks(List.of(launch)));
    return reports.await(launch.attempt());
  }

  /** Runs every task of the stage on {@code executor}, sent in one batch; their ends in partition order. */
  public static List<TaskEnded> runAll(Executor executor, Reports reports, StageRun stage) throws Exception {
    executor.handle(stage.registration());
    List<TaskLaunch> launches = new ArrayList<>();
    for (int p = 0; p < stage.stage().numTasks(); p++) {
      launches.add(stage.launch(p));
    }
    executor.handle(new LaunchTasks(launches));
    List<TaskEnded> ended = new ArrayList<>();
    for (TaskLaunch l : launches) {
      ended.add(reports.await(l.attempt()));
    }
    return ended;
  }

  /**
   * Runs a plan's stages in order on one in-process executor, as the scheduler would: the map
   * outputs of each stage are handed to the stages that read them. Returns each stage's task
   * ends, in plan order; every task must succeed.
   */
  public static List<List<TaskEnded>> runPlan(Executor executor, Reports reports, PhysicalPlan plan)
      throws Exception {
    Map<ShuffleId, List<MapOutputLocation>> outputs = new HashMap<>();
    List<List<TaskEnded>> all = new ArrayList<>();
    for (Stage stage : plan.stages()) {
      List<TaskEnded> ended = runAll(executor, reports, register(stage, shuffleInputs(stage, outputs)));
      for (TaskEnded e : ended) {
        success(e);
      }
      outputs.putAll(mapOutputs(ended, LOCAL_ADDRESS, 0));
      all.add(ended);
    }
    return all;
  }

  /** The locations of the shuffles {@code stage} reads, out of those known. */
  public static Map<ShuffleId, List<MapOutputLocation>> shuffleInputs(Stage stage,
      Map<ShuffleId, List<MapOutputLocation>> known) {
    Map<ShuffleId, List<MapOutputLocation>> in = new HashMap<>();
    for (PartitionOp.ReadShuffle read : stage.shuffleReads()) {
      if (known.containsKey(read.shuffle())) {
        in.put(read.shuffle(), known.get(read.shuffle()));
      }
    }
    return in;
  }

  /** Where the map outputs of successful map tasks are, by shuffle, ordered by map index. */
  public static Map<ShuffleId, List<MapOutputLocation>> mapOutputs(List<TaskEnded> ended, String address, int port) {
    Map<ShuffleId, List<MapOutputLocation>> out = new HashMap<>();
    for (TaskEnded e : ended) {
      for (MapStatus status : success(e).shuffles()) {
        out.computeIfAbsent(status.shuffle(), s -> new ArrayList<>()).add(location(e, address, port));
      }
    }
    out.values().forEach(l -> l.sort(Comparator.comparingInt(MapOutputLocation::mapIndex)));
    return out;
  }

  /** Where map task {@code ended} left its output, served at {@code address:port}. */
  public static MapOutputLocation location(TaskEnded ended, String address, int port) {
    return new MapOutputLocation(ended.attempt().partition(), ended.attempt().taskId(), ended.executor(), address, port);
  }

  /** The success of a task that must have succeeded. */
  public static TaskEndReason.Success success(TaskEnded ended) {
    if (ended.reason() instanceof TaskEndReason.Success s) {
      return s;
    }
    throw new AssertionError(ended.attempt() + " did not succeed: " + ended.reason().describe());
  }

  /** The failure of a task that must have failed this way. */
  public static <R extends TaskEndReason> R failure(TaskEnded ended, Class<R> type) {
    if (type.isInstance(ended.reason())) {
      return type.cast(ended.reason());
    }
    throw new AssertionError(ended.attempt() + " should have ended with " + type.getSimpleName() + ": "
        + ended.reason().describe());
  }

  /** The count a counting task that must have succeeded returned. */
  public static long count(TaskEnded ended) {
    return TaskOutputs.countOf(success(ended).result());
  }

  /** The result of a task that must have succeeded, read as the driver reads it. */
  public static <T> T result(TaskEnded ended, ClassLoader loader, Class<T> type) throws IOException {
    return JavaSerde.deserialize(success(ended).result(), loader, type);
  }

  /** Every record a set of collect tasks returned, in task order. */
  public static List<Object> collected(List<TaskEnded> tasks, ClassLoader loader) throws IOException {
    List<Object> all = new ArrayList<>();
    for (TaskEnded t : tasks) {
      all.addAll(result(t, loader, List.class));
    }
    return all;
  }

  /** What a counter got from a task that must have succeeded (0 when it was not added to). */
  public static long counter(TaskEnded ended, String name) {
    return success(ended).counters().getOrDefault(name, 0L);
  }

  /** The bytes every map task wrote for reduce partition {@code partition} of {@code shuffle}. */
  public static long bytesFor(List<TaskEnded> maps, ShuffleId shuffle, int partition) {
    long n = 0;
    for (TaskEnded e : maps) {
      for (MapStatus status : success(e).shuffles()) {
        if (status.shuffle().equals(shuffle)) {
          n += status.partitionBytes()[partition];
        }
      }
    }
    return n;
  }
}
