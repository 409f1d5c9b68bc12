package io.dflow.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Dataset;
import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.JobContext;
import io.dflow.api.LongCounter;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import io.dflow.api.StorageLevel;
import io.dflow.api.function.MapFunction;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.function.ReduceFunction;
import io.dflow.api.plan.Action;
import io.dflow.executor.protocol.BlockUpdate;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.shuffle.BlockIds;
import io.dflow.executor.shuffle.NetworkFetcher;
import io.dflow.executor.shuffle.ShuffleStore;
import io.dflow.executor.storage.BlockStore;
import io.dflow.executor.storage.BroadcastCache;
import io.dflow.planner.PhysicalPlan;
import io.dflow.planner.ShuffleId;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.planner.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a {@link TaskRunner} evaluates a stage's operator tree, run directly on a real
 * {@link TaskEnvironment}: an operator two readers share is computed once per task (kept in
 * memory, or spilled to the task's scratch folder past a bound, and cleaned up after), a
 * persisted one is stored once and then read from the block store, unions and coalesces read
 * their inputs' partitions in order; a slot's next first attempt reuses the stage's functions, a
 * retry gets fresh ones, and a fold starts each task from its own zero. Source computations are
 * counted with a real counter.
 */
class OperatorEvaluationTest {
  private static final ClassLoader LOADER = Tasks.LOADER;
  private static final ExecutorId SELF = new ExecutorId("exec-t");
  private static final Action COLLECT = new Action.Collect(64 << 20);

  @TempDir
  Path tmp;
  private final Tasks.Planning planning = new Tasks.Planning();
  private final JobContext ctx = planning.context;
  private final List<NetworkFetcher> fetchers = new ArrayList<>();
  private ShuffleStore shuffles;
  private BlockStore blocks;
  private Path scratch;

  @AfterEach
  void close() {
    fetchers.forEach(NetworkFetcher::close);
  }

  /** A runner over fresh stores of one executor, keeping shared partitions in memory up to {@code keepInMemory} bytes. */
  private TaskRunner runner(long keepInMemory, long storageMemory) throws IOException {
    Path local = Files.createTempDirectory(tmp, "executor");
    shuffles = new ShuffleStore(local.resolve("shuffle"));
    blocks = new BlockStore(local.resolve("blocks"), storageMemory);
    scratch = Files.createDirectories(local.resolve("tasks"));
    NetworkFetcher fetcher = new NetworkFetcher(SELF,
        id -> BlockIds.isShuffle(id) ? shuffles.resolve(id) : blocks.resolve(id), null);
    fetchers.add(fetcher);
    BroadcastCache broadcasts = new BroadcastCache(id -> {
      throw new IOException("no broadcasts here");
    });
    return new TaskRunner(new TaskEnvironment(SELF, sha -> LOADER, shuffles, blocks, broadcasts, fetcher,
        new io.dflow.executor.memory.ExecutionMemory(256 << 20), scratch, keepInMemory, (attempt, status) -> { }, null));
  }

  /** Task {@code partition} of {@code stage}, attempt 0. */
  private static TaskEnded run(TaskRunner runner, Tasks.StageRun stage, int partition) {
    return runner.run(stage.registration(), stage.launch(partition));
  }

  /** Every task of {@code stage}, one after another. */
  private static List<TaskEnded> runAll(TaskRunner runner, Tasks.StageRun stage) {
    List<TaskEnded> ended = new ArrayList<>();
    for (int p = 0; p < stage.stage().numTasks(); p++) {
      ended.add(runner.run(stage.registration(), stage.launch(p)));
    }
    return ended;
  }

  /** The regular files anywhere under {@code dir}. */
  private static long filesUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  /**
   * Sums and maxima per key of one dataset, joined: a map stage with two sinks over one operator.
   * The sum's function notes, in a counter, whether a file is in {@code scratchDir} while it runs.
   */
  private PhysicalPlan sumsAndMaxima(String scratchDir) {
    LongCounter computed = ctx.counter("computed");
    LongCounter sawSpill = ctx.counter("saw a spilled partition");
    MapFunction<Long, Pair<Long, Long>> counted = x -> {
      computed.add(1);
      return Pair.of(x % 7, x);
    };
    // called map side while the shared partition is being read: is a kept file there right now?
    ReduceFunction<Long> sumNoticingSpills = (a, b) -> {
      if (filesUnder(Path.of(scratchDir)) > 0) {
        sawSpill.add(1);
      }
      return a + b;
    };
    PairDataset<Long, Long> pairs = ctx.parallelize(LongStream.range(0, 600).boxed().toList(), Encoders.longs(), 2)
        .mapToPair(counted, Encoders.longs(), Encoders.longs());
    return planning.plan(pairs.reduceByKey(sumNoticingSpills).join(pairs.reduceByKey(Math::max)), COLLECT);
  }

  @Test
  void aDatasetReadByBothSinksOfAStageIsComputedOncePerTaskInMemoryOrSpilled() throws Exception {
    Map<Long, Pair<Long, Long>> expected = new HashMap<>();
    for (long x = 0; x < 600; x++) {
      Pair<Long, Long> before = expected.getOrDefault(x % 7, Pair.of(0L, Long.MIN_VALUE));
      expected.put(x % 7, Pair.of(before.key() + x, Math.max(before.value(), x)));
    }
    for (long keep : new long[] {64L << 20, 512}) {
      TaskRunner runner = runner(keep, 1 << 20);
      PhysicalPlan plan = sumsAndMaxima(scratch.toString());
      Stage mapStage = plan.stages().get(0);
      assertEquals(2, mapStage.sinks().size(), plan.explain());
      assertSame(mapStage.sinks().get(0).root(), mapStage.sinks().get(1).root(), "one operator feeds both shuffles");

      List<TaskEnded> maps = runAll(runner, Tasks.register(mapStage));
      for (TaskEnded map : maps) {
        assertEquals(300, Tasks.counter(map, "computed"), "each record of the slice computed once, keep " + keep);
        assertEquals(2, Tasks.success(map).shuffles().size());
        assertEquals(keep < 1_000, Tasks.counter(map, "saw a spilled partition") > 0,
            "spilled only past the bound, keep " + keep);
      }
      assertEquals(0, filesUnder(scratch), "kept partitions are deleted with their task");

      List<TaskEnded> reduces = runAll(runner, Tasks.register(plan.resultStage(),
          Tasks.mapOutputs(maps, Tasks.LOCAL_ADDRESS, 0)));
      Map<Object, Object> actual = new HashMap<>();
      for (Object r : Tasks.collected(reduces, LOADER)) {
        Pair<?, ?> pair = (Pair<?, ?>) r;
        actual.put(pair.key(), pair.value());
      }
      assertEquals(expected, actual);
    }
  }

  @Test
  void anAttemptTheDriverKillsEndsPromptlyAsKilled() throws Exception {
    MapFunction<Long, Long> hangs = x -> {
      Thread.sleep(60_000);
      return x;
    };
    Stage stage = planning.plan(ctx.parallelize(List.of(1L, 2L), Encoders.longs(), 1).map(hangs, Encoders.longs()),
        new Action.Count()).resultStage();
    TaskRunner runner = runner(64L << 20, 1 << 20);
    Tasks.StageRun run = Tasks.register(stage);
    TaskLaunch launch = run.launch(0);
    java.util.concurrent.CompletableFuture<TaskEnded> ended =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> runner.run(run.registration(), launch));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!ended.isDone() && System.nanoTime() < deadline) {
      runner.kill(launch.attempt(), "job 3 failed"); // until the attempt is there to kill
      Thread.sleep(50);
    }
    TaskEnded end = ended.get(1, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(new TaskEndReason.Killed("job 3 failed"), end.reason());
    runner.kill(launch.attempt(), "again"); // an attempt that ended is not there to kill: nothing happens
  }

  @Test
  void aShufflePartitionTwoOperatorsReadIsFetchedOnce() throws Exception {
    MapFunction<Long, Long> lastDigit = x -> x % 10;
    PairDataset<Long, Long> parted = ctx.parallelize(LongStream.range(0, 1_000).boxed().toList(), Encoders.longs(), 2)
        .keyBy(lastDigit, Encoders.longs())
        .partitionBy(new HashPartitioner(3));
    PairDataset<Long, Long> doubledSums = parted.reduceByKey(Long::sum).mapValues(v -> v * 2, Encoders.longs());
    PhysicalPlan plan = planning.plan(parted.join(doubledSums), COLLECT);
    assertEquals(2, plan.stages().size(), "the join and the in-place reduce move no more data: " + plan.explain());
    ShuffleId shuffle = plan.stages().get(0).shufflesWritten().get(0);
    TaskRunner runner = runner(64L << 20, 1 << 20);

    List<TaskEnded> maps = runAll(runner, Tasks.register(plan.stages().get(0)));
    List<TaskEnded> reduces = runAll(runner, Tasks.register(plan.resultStage(),
        Tasks.mapOutputs(maps, Tasks.LOCAL_ADDRESS, 0)));

    for (int p = 0; p < 3; p++) {
      assertEquals(Tasks.bytesFor(maps, shuffle, p), reduces.get(p).metrics().shuffleBytesRead(),
          "partition " + p + " fetched once for both readers");
    }
    Map<Long, Long> sums = new HashMap<>();
    for (long x = 0; x < 1_000; x++) {
      sums.merge(x % 10, x, Long::sum);
    }
    List<String> expected = new ArrayList<>();
    for (long x = 0; x < 1_000; x++) {
      expected.add(Pair.of(x % 10, Pair.of(x, 2 * sums.get(x % 10))).toString());
    }
    List<String> actual = new ArrayList<>(Tasks.collected(reduces, LOADER).stream().map(Object::toString).toList());
    expected.sort(null);
    actual.sort(null);
    assertEquals(expected, actual);
  }

  @Test
  void aPersistedPartitionIsComputedAndStoredOnceThenReadFromTheBlockStore() throws Exception {
    LongCounter computed = ctx.counter("computed");
    MapFunction<Long, Long> counted = x -> {
      computed.add(1);
      return x * x;
    };
    Dataset<Long> squares = ctx.parallelize(LongStream.range(0, 500).boxed().toList(), Encoders.longs(), 2)
        .map(counted, Encoders.longs())
        .persist(StorageLevel.MEMORY_AND_DISK);
    int node = squares.logicalNode().id();
    Stage stage = planning.plan(squares.filter(x -> x % 2 == 0), new Action.Count()).resultStage();
    TaskRunner runner = runner(64L << 20, 1 << 20);

    List<TaskEnded> first = runAll(runner, Tasks.register(stage));
    for (int p = 0; p < 2; p++) {
      assertEquals(125L, Tasks.count(first.get(p)));
      assertEquals(250, Tasks.counter(first.get(p), "computed"));
      assertEquals(List.of(new BlockUpdate(node, p, true)), Tasks.success(first.get(p)).blocks());
      assertTrue(blocks.get(node, p).inMemory());
    }
    List<TaskEnded> second = runAll(runner, Tasks.register(stage));
    for (int p = 0; p < 2; p++) {
      assertEquals(125L, Tasks.count(second.get(p)));
      assertEquals(0, Tasks.counter(second.get(p), "computed"), "read from the block store");
      assertEquals(List.of(), Tasks.success(second.get(p)).blocks());
    }
    assertEquals(2, blocks.dropDataset(node));
    TaskEnded third = run(runner, Tasks.register(stage), 1);
    assertEquals(250, Tasks.counter(third, "computed"), "recomputed once dropped");
    assertEquals(List.of(new BlockUpdate(node, 1, true)), Tasks.success(third).blocks());
  }

  @Test
  void aPartitionTooLargeForMemoryIsNotKeptAtLevelMemoryAndLeavesNoFile() throws Exception {
    LongCounter computed = ctx.counter("computed");
    MapFunction<Long, Long> counted = x -> {
      computed.add(1);
      return x;
    };
    Dataset<Long> cached = ctx.parallelize(LongStream.range(0, 5_000).boxed().toList(), Encoders.longs(), 1)
        .map(counted, Encoders.longs()).cache();
    Dataset<Long> onDisk = ctx.parallelize(LongStream.range(0, 5_000).boxed().toList(), Encoders.longs(), 1)
        .persist(StorageLevel.DISK);
    TaskRunner runner = runner(64L << 20, 1_000); // far smaller than 5,000 longs

    Stage memoryStage = planning.plan(cached, new Action.Count()).resultStage();
    for (int run = 0; run < 2; run++) {
      TaskEnded ended = run(runner, Tasks.register(memoryStage), 0);
      assertEquals(5_000L, Tasks.count(ended));
      assertEquals(5_000, Tasks.counter(ended, "computed"), "not kept, so computed every time");
      assertEquals(List.of(), Tasks.success(ended).blocks());
    }
    assertEquals(0, filesUnder(scratch), "the task's spilled copy went with it");
    assertEquals(0, blocks.memoryUsed());

    TaskEnded disk = run(runner, Tasks.register(planning.plan(onDisk, new Action.Count()).resultStage()), 0);
    assertEquals(5_000L, Tasks.count(disk));
    assertEquals(List.of(new BlockUpdate(onDisk.logicalNode().id(), 0, true)), Tasks.success(disk).blocks());
    assertEquals(0, blocks.memoryUsed(), "a DISK partition takes no storage memory");
    Path blockFile = scratch.resolveSibling("blocks").resolve(BlockStore.blockId(onDisk.logicalNode().id(), 0));
    assertTrue(Files.isRegularFile(blockFile), "kept in the block store's folder");
    assertEquals(0, filesUnder(scratch));
  }

  @Test
  void aCoalesceOfAUnionReadsEveryInputPartitionInOrder() throws Exception {
    Dataset<Long> a = ctx.parallelize(LongStream.range(0, 10).boxed().toList(), Encoders.longs(), 3);
    Dataset<Long> b = ctx.parallelize(LongStream.range(100, 105).boxed().toList(), Encoders.longs(), 2)
        .map(x -> -x, Encoders.longs());
    Stage stage = planning.plan(a.union(b).coalesce(2), COLLECT).resultStage();
    assertEquals(2, stage.numTasks());
    TaskRunner runner = runner(64L << 20, 1 << 20);

    List<TaskEnded> ended = runAll(runner, Tasks.register(stage));

    List<Object> expected = new ArrayList<>();
    LongStream.range(0, 10).forEach(expected::add);
    LongStream.range(100, 105).forEach(x -> expected.add(-x));
    assertEquals(expected, Tasks.collected(ended, LOADER));
    // five input partitions: the first task takes two, the second three, one after another
    assertEquals(2, stage.taskInputs(0).size());
    assertEquals(3, stage.taskInputs(1).size());
  }

  @Test
  void aSlotReusesAStagesFunctionsForFirstAttemptsButARetryGetsFreshOnes() throws Exception {
    long[] calls = {0}; // state of the function: each deserialised copy has its own
    PartitionFunction<Long, Long> numbering = records -> {
      calls[0]++;
      List<Long> out = new ArrayList<>();
      records.forEachRemaining(x -> out.add(calls[0]));
      return out.iterator();
    };
    Stage stage = planning.plan(ctx.parallelize(LongStream.range(0, 6).boxed().toList(), Encoders.longs(), 3)
        .mapPartitions(numbering, Encoders.longs()), COLLECT).resultStage();
    TaskRunner runner = runner(64L << 20, 1 << 20);
    Tasks.StageRun run = Tasks.register(stage);

    assertEquals(List.of(1L, 1L), Tasks.result(run(runner, run, 0), LOADER, List.class));
    assertEquals(List.of(2L, 2L), Tasks.result(run(runner, run, 1), LOADER, List.class),
        "the next first attempt in this slot shares the copy");
    assertEquals(List.of(1L, 1L), Tasks.result(runner.run(run.registration(), run.launch(1, 1, List.of())),
        LOADER, List.class), "a retry gets a fresh copy");
    assertEquals(List.of(1L, 1L), Tasks.result(run(runner, Tasks.register(stage), 2), LOADER, List.class),
        "so does another stage attempt");
  }

  @Test
  void aFoldStartsEveryTaskFromItsOwnCopyOfTheZero() throws Exception {
    ReduceFunction<Object> append = (acc, x) -> {
      @SuppressWarnings("unchecked")
      List<Object> list = (List<Object>) acc;
      list.add(x);
      return list;
    };
    Stage stage = planning.plan(ctx.parallelize(LongStream.range(0, 6).boxed().toList(), Encoders.longs(), 3),
        new Action.Fold(new ArrayList<>(), append)).resultStage();
    TaskRunner runner = runner(64L << 20, 1 << 20);
    Tasks.StageRun run = Tasks.register(stage);
    // one slot runs every task, reusing the stage's deserialised action, zero included
    for (int p = 0; p < 3; p++) {
      assertEquals(List.of(2L * p, 2L * p + 1), Tasks.result(run(runner, run, p), LOADER, List.class), "task " + p);
    }
  }
}
