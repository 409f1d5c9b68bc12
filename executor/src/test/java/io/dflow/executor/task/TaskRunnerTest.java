package io.dflow.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Broadcast;
import io.dflow.api.Dataset;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.KeyOrder;
import io.dflow.api.LongCounter;
import io.dflow.api.Optional;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import io.dflow.api.RangePartitioner;
import io.dflow.api.function.FilterFunction;
import io.dflow.api.function.FlatMapFunction;
import io.dflow.api.function.MapFunction;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.function.ReduceFunction;
import io.dflow.api.function.VoidFunction;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.Step;
import io.dflow.executor.protocol.ControlMessage.DropBroadcast;
import io.dflow.executor.protocol.ControlMessage.ForgetStage;
import io.dflow.executor.protocol.ControlMessage.LaunchTasks;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.protocol.TaskAttempt;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.executor.protocol.TaskEndReason.ExceptionFailure;
import io.dflow.executor.protocol.TaskEndReason.FetchFailed;
import io.dflow.executor.protocol.TaskMetrics;
import io.dflow.executor.shuffle.BlockIds;
import io.dflow.planner.PartitionOp;
import io.dflow.planner.PhysicalPlan;
import io.dflow.planner.ShuffleId;
import io.dflow.planner.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Real task launches, planned from datasets by the real planner, run by an in-process
 * {@link io.dflow.executor.Executor} as in {@code local[N]}: results, metrics and every way a
 * task can fail, each checked against the same computation done plainly in the test.
 */
class TaskRunnerTest extends InProcessExecutorTest {
  /** Two tasks that wait here for each other finish only if both slots run at once. */
  private static final CyclicBarrier BOTH_SLOTS = new CyclicBarrier(2);

  private final JobContext ctx = planning.context;

  private static List<Long> longs(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  private static Action collect() {
    return new Action.Collect(64 << 20);
  }

  /** The result stage of a job without shuffles. */
  private Stage onlyStage(Dataset<?> dataset, Action action) {
    PhysicalPlan plan = planning.plan(dataset, action);
    assertEquals(1, plan.stages().size(), plan.explain());
    return plan.resultStage();
  }

  @Test
  void countsASliceThroughAFusedPipeline() throws Exception {
    MapFunction<Long, Long> twice = x -> x * 2;
    FilterFunction<Long> byThree = x -> x % 3 == 0;
    FlatMapFunction<Long, Long> andNext = x -> List.of(x, x + 1).iterator();
    Dataset<Long> numbers = ctx.parallelize(longs(0, 1_000), Encoders.longs(), 1)
        .map(twice, Encoders.longs()).filter(byThree).flatMap(andNext, Encoders.longs());
    Stage stage = onlyStage(numbers, new Action.Count());
    PartitionOp.Pipeline pipeline = assertInstanceOf(PartitionOp.Pipeline.class, stage.sinks().get(0).root());
    assertEquals(List.of("map", "filter", "flatMap"), pipeline.steps().stream().map(Step::name).toList());

    TaskEnded ended = Tasks.run(executor, reports, Tasks.register(stage), 0);

    long expected = LongStream.range(0, 1_000).map(x -> x * 2).filter(x -> x % 3 == 0).count() * 2;
    assertEquals(expected, Tasks.count(ended));
    assertEquals(expected, ended.metrics().recordsOut());
    assertEquals(new ExecutorId("exec-1"), ended.executor());
    assertEquals(0, ended.attempt().partition());
    assertEquals(0, ended.attempt().attempt());
  }

  @Test
  void collectsThroughMapPartitions() throws Exception {
    PartitionFunction<Long, String> runningSums = records -> {
      List<String> out = new ArrayList<>();
      long sum = 0;
      while (records.hasNext()) {
        sum += records.next();
        out.add("sum=" + sum);
      }
      return out.iterator();
    };
    Stage stage = onlyStage(ctx.parallelize(longs(1, 6), Encoders.longs(), 1)
        .mapPartitions(runningSums, Encoders.strings()), collect());
    assertEquals(List.of("sum=1", "sum=3", "sum=6", "sum=10", "sum=15"),
        Tasks.result(Tasks.run(executor, reports, Tasks.register(stage), 0), LOADER, List.class));
  }

  @Test
  void aMapStageAndAReduceStageCountWords() throws Exception {
    Random random = new Random(7);
    List<String> lines = new ArrayList<>();
    Map<String, Long> expected = new TreeMap<>();
    for (int l = 0; l < 600; l++) {
      StringBuilder line = new StringBuilder();
      for (int w = random.nextInt(8); w >= 0; w--) {
        String word = "w" + random.nextInt(40);
        expected.merge(word, 1L, Long::sum);
        line.append(word).append(' ');
      }
      lines.add(line.toString().strip());
    }
    PairDataset<String, Long> counts = ctx.parallelize(lines, Encoders.strings(), 3)
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator(), Encoders.strings())
        .mapToPair(w -> Pair.of(w, 1L), Encoders.strings(), Encoders.longs())
        .reduceByKey(Long::sum, 4);
    PhysicalPlan plan = planning.plan(counts, collect());
    assertEquals(2, plan.stages().size(), plan.explain());
    Stage mapStage = plan.stages().get(0);
    assertEquals(3, mapStage.numTasks());
    ShuffleId shuffle = mapStage.shufflesWritten().get(0);

    List<TaskEnded> maps = Tasks.runAll(executor, reports, Tasks.register(mapStage));
    long written = 0;
    for (TaskEnded map : maps) {
      TaskEndReason.Success success = Tasks.success(map);
      assertNull(success.result(), "a map task has no result");
      assertEquals(1, success.shuffles().size());
      assertEquals(shuffle, success.shuffles().get(0).shuffle());
      assertEquals(4, success.shuffles().get(0).partitionBytes().length);
      assertEquals(success.shuffles().get(0).totalBytes(), map.metrics().shuffleBytesWritten());
      written += map.metrics().shuffleBytesWritten();
    }

    List<TaskEnded> reduces = Tasks.runAll(executor, reports,
        Tasks.register(plan.resultStage(), Tasks.mapOutputs(maps, Tasks.LOCAL_ADDRESS, 0)));
    long read = 0;
    for (int p = 0; p < 4; p++) {
      assertEquals(Tasks.bytesFor(maps, shuffle, p), reduces.get(p).metrics().shuffleBytesRead(),
          "reduce task " + p + " fetched its segment of every map output");
      read += reduces.get(p).metrics().shuffleBytesRead();
    }
    Map<Object, Object> actual = new TreeMap<>();
    for (Object r : Tasks.collected(reduces, LOADER)) {
      Pair<?, ?> pair = (Pair<?, ?>) r;
      assertNull(actual.put(pair.key(), pair.value()), "one record per word");
    }
    assertEquals(expected, actual);
    assertTrue(written > 0);
    assertEquals(written, read, "reducers read every byte the mappers wrote");
  }

  @Test
  void aSortAcrossReduceTasksIsGloballyOrdered() throws Exception {
    Random random = new Random(11);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      keys.add(Integer.toString(random.nextInt(1 << 20), 36));
    }
    PairDataset<String, Integer> sorted = ctx.parallelize(keys, Encoders.strings(), 2)
        .mapToPair(s -> Pair.of(s, s.length()), Encoders.strings(), Encoders.ints())
        .sortByKey(true, 3);
    planning.sortBounds(sorted, new RangePartitioner(List.of("g", "p"), KeyOrder.ASCENDING));

    List<List<TaskEnded>> stages = Tasks.runPlan(executor, reports, planning.plan(sorted, collect()));

    assertEquals(List.of(2, 3), stages.stream().map(List::size).toList());
    List<Object> expected = keys.stream().sorted().map(k -> (Object) Pair.of(k, k.length())).toList();
    assertEquals(expected, Tasks.collected(stages.get(1), LOADER));
  }

  @Test
  void eachActionTurnsItsPartitionIntoItsOwnValue() throws Exception {
    Dataset<Long> numbers = ctx.parallelize(longs(1, 11), Encoders.longs(), 2); // 1..5 and 6..10
    ReduceFunction<Object> sum = (a, b) -> (Long) a + (Long) b;

    Tasks.StageRun take = Tasks.register(onlyStage(numbers, new Action.Take(3, 64 << 20)));
    assertEquals(List.of(6L, 7L, 8L), Tasks.result(Tasks.run(executor, reports, take, 1), LOADER, List.class));

    Tasks.StageRun reduce = Tasks.register(onlyStage(numbers, new Action.Reduce(sum)));
    assertEquals(Optional.of(40L), Tasks.result(Tasks.run(executor, reports, reduce, 1), LOADER, Optional.class));
    FilterFunction<Long> none = x -> false;
    Tasks.StageRun reduceNothing = Tasks.register(onlyStage(numbers.filter(none), new Action.Reduce(sum)));
    assertEquals(Optional.empty(), Tasks.result(Tasks.run(executor, reports, reduceNothing, 0), LOADER, Optional.class));

    LongCounter seen = ctx.counter("seen");
    VoidFunction<Object> visit = x -> seen.add((Long) x);
    TaskEnded foreach = Tasks.run(executor, reports, Tasks.register(onlyStage(numbers, new Action.Foreach(visit))), 0);
    assertNull(Tasks.success(foreach).result());
    assertEquals(5, foreach.metrics().recordsOut());
    assertEquals(15, Tasks.counter(foreach, "seen"), "the function ran on every record: 1 + ... + 5");
  }

  @Test
  void aFailingUserFunctionIsReportedWithTheInputAndTheUsersException() throws Exception {
    MapFunction<Long, Long> picky = x -> {
      if (x == 13) {
        throw new Exception("bad record 13");
      }
      return x;
    };
    Stage stage = onlyStage(ctx.parallelize(longs(0, 20), Encoders.longs(), 1).map(picky, Encoders.longs()),
        new Action.Count());
    ExceptionFailure failure = Tasks.failure(Tasks.run(executor, reports, Tasks.register(stage), 0),
        ExceptionFailure.class);

    assertEquals("java.lang.Exception", failure.className());
    assertEquals("bad record 13", failure.message());
    assertEquals("slice of 20 records", failure.where());
    assertTrue(failure.describe().startsWith("slice of 20 records: java.lang.Exception: bad record 13"),
        failure.describe());
    assertFalse(failure.stackTrace().contains("UserCodeException"), failure.stackTrace());
    assertTrue(failure.stackTrace().contains("TaskRunnerTest"), "the user's stack frames: " + failure.stackTrace());

    FilterFunction<Long> unchecked = x -> {
      throw new IllegalStateException("filter gave up");
    };
    Stage stage2 = onlyStage(ctx.parallelize(longs(0, 6), Encoders.longs(), 2).filter(unchecked), collect());
    ExceptionFailure failure2 = Tasks.failure(Tasks.run(executor, reports, Tasks.register(stage2), 1),
        ExceptionFailure.class);
    assertTrue(failure2.describe().startsWith("slice of 3 records: java.lang.IllegalStateException: filter gave up"),
        failure2.describe());
  }

  @Test
  void aCollectOverTheLimitFailsClearly() throws Exception {
    Stage stage = onlyStage(ctx.parallelize(longs(0, 1_000), Encoders.longs(), 1), new Action.Collect(500));
    ExceptionFailure failure = Tasks.failure(Tasks.run(executor, reports, Tasks.register(stage), 0),
        ExceptionFailure.class);
    assertEquals("java.io.IOException", failure.className());
    assertTrue(failure.message().startsWith("this task's part of the result is "), failure.message());
    assertTrue(failure.message().endsWith("bytes, over the limit of 500 (dflow.collect.maxBytes)"), failure.message());
  }

  @Test
  void aReduceTaskWhoseMapOutputIsMissingReportsAFetchFailureNamingIt() throws Exception {
    PairDataset<String, Iterable<Long>> grouped = ctx.parallelize(List.of("a", "b"), Encoders.strings(), 1)
        .mapToPair(s -> Pair.of(s, 1L), Encoders.strings(), Encoders.longs())
        .groupByKey(2);
    PhysicalPlan plan = planning.plan(grouped, collect());
    ShuffleId shuffle = plan.stages().get(0).shufflesWritten().get(0);
    ExecutorId self = new ExecutorId("exec-1");
    List<MapOutputLocation> neverWritten = List.of(new MapOutputLocation(0, 77, self, "localhost", 0));

    TaskEnded ended = Tasks.run(executor, reports,
        Tasks.register(plan.resultStage(), Map.of(shuffle, neverWritten)), 1);

    FetchFailed failed = Tasks.failure(ended, FetchFailed.class);
    assertEquals(shuffle, failed.shuffle());
    assertEquals(0, failed.mapIndex());
    assertEquals(self, failed.executor());
    assertEquals("cannot fetch shuffle " + shuffle + " partition 1 of map task 0 from executor exec-1 (localhost:0): "
        + "no map output " + BlockIds.mapOutput(shuffle, 0, 77) + " on this executor", failed.message());

    // a task given no locations for its shuffle at all: the whole shuffle is missing
    FetchFailed none = Tasks.failure(Tasks.run(executor, reports, Tasks.register(plan.resultStage()), 0),
        FetchFailed.class);
    assertEquals(shuffle, none.shuffle());
    assertEquals(-1, none.mapIndex());
    assertNull(none.executor());
    assertEquals("no map outputs of shuffle " + shuffle + " are known to this task", none.message());
  }

  @Test
  void aTaskCapturingAClassOutsideTheAllowListIsRefused() throws Exception {
    ConcurrentHashMap<Long, Long> lookup = new ConcurrentHashMap<>();
    MapFunction<Long, Long> usesLookup = x -> lookup.getOrDefault(x, x);
    Stage stage = onlyStage(ctx.parallelize(longs(0, 3), Encoders.longs(), 1).map(usesLookup, Encoders.longs()),
        new Action.Count());
    Tasks.StageRun run = Tasks.register(stage);
    TaskLaunch launch = run.launch(0);
    ExceptionFailure failure = Tasks.failure(Tasks.run(executor, reports, run, launch), ExceptionFailure.class);
    assertEquals("java.io.InvalidClassException", failure.className());
    assertEquals(launch.attempt().toString(), failure.where(), "the operators could not be read, so no input is named");
    assertTrue(failure.stackTrace().startsWith("java.io.InvalidClassException: filter status: REJECTED"),
        failure.stackTrace());
  }

  /** The failure of a task that read {@code garbage} instead of something serialised. */
  private static void assertCorrupt(TaskEnded ended) {
    ExceptionFailure failure = Tasks.failure(ended, ExceptionFailure.class);
    assertEquals("java.io.StreamCorruptedException", failure.className());
    assertTrue(failure.stackTrace().startsWith("java.io.StreamCorruptedException: invalid stream header: 01020304"),
        failure.stackTrace());
    assertEquals(TaskMetrics.NONE.recordsOut(), ended.metrics().recordsOut());
  }

  @Test
  void garbageInsteadOfAStageOrATasksInputFails() throws Exception {
    Stage stage = onlyStage(ctx.parallelize(longs(0, 5), Encoders.longs(), 1), new Action.Count());
    byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8};
    Tasks.StageRun good = Tasks.register(stage);
    RegisterStage r = good.registration();

    // the stage's operators
    assertCorrupt(Tasks.run(executor, reports, new Tasks.StageRun(stage,
        new RegisterStage(r.stage(), null, Map.of(), garbage, r.inputs(), Map.of(), null)), 0));
    // every partition's inputs, sent with the stage
    assertCorrupt(Tasks.run(executor, reports, new Tasks.StageRun(stage,
        new RegisterStage(r.stage(), null, Map.of(), r.sinks(), garbage, Map.of(), null)), 0));
    // a task's own inputs
    Tasks.StageRun perTask = Tasks.registerWithoutInputs(stage, Map.of());
    TaskLaunch valid = perTask.launch(0);
    assertCorrupt(Tasks.run(executor, reports, perTask, new TaskLaunch(valid.attempt(), garbage, List.of())));

    // the real registrations still work
    assertEquals(5L, Tasks.count(Tasks.run(executor, reports, good, 0)));
    assertEquals(5L, Tasks.count(Tasks.run(executor, reports, perTask, 0)));
  }

  @Test
  void firstAttemptsReadTheirInputsFromTheStageAndOtherAttemptsCarryTheirOwn() throws Exception {
    MapFunction<Long, Long> next = x -> x + 1;
    Stage stage = onlyStage(ctx.parallelize(longs(0, 30), Encoders.longs(), 3).map(next, Encoders.longs()), collect());
    List<Object> second = longs(11, 21).stream().map(x -> (Object) x).toList();

    Tasks.StageRun shared = Tasks.register(stage);
    TaskLaunch first = shared.launch(1);
    TaskLaunch retry = shared.launch(1, 1, List.of());
    assertNull(first.inputs());
    assertEquals(second, Tasks.result(Tasks.run(executor, reports, shared, first), LOADER, List.class));
    assertEquals(second, Tasks.result(Tasks.run(executor, reports, shared, retry), LOADER, List.class));

    Tasks.StageRun own = Tasks.registerWithoutInputs(stage, Map.of());
    assertNull(own.registration().inputs());
    assertEquals(longs(21, 31).stream().map(x -> (Object) x).toList(),
        Tasks.result(Tasks.run(executor, reports, own, 2), LOADER, List.class));

    // a retry sent no inputs of its own has nothing to read, and says what it misses
    TaskLaunch bare = new TaskLaunch(new TaskAttempt(9_999, shared.id(), 1, 1), null, List.of());
    ExceptionFailure failure = Tasks.failure(Tasks.run(executor, reports, shared, bare), ExceptionFailure.class);
    assertEquals("task " + bare.attempt() + " was sent no input for parallelize (30 records in 3 slices) partition 1",
        failure.message());
  }

  @Test
  void aTaskOfAStageNotRegisteredOrForgottenFailsAndSaysSo() throws Exception {
    Stage stage = onlyStage(ctx.parallelize(longs(0, 4), Encoders.longs(), 1), new Action.Count());
    Tasks.StageRun run = Tasks.register(stage);

    TaskLaunch early = run.launch(0);
    executor.handle(new LaunchTasks(List.of(early)));
    ExceptionFailure failure = Tasks.failure(reports.await(early.attempt()), ExceptionFailure.class);
    assertEquals("stage not registered", failure.message());
    assertTrue(failure.stackTrace().contains("stage " + run.id() + ", which was never registered"), failure.stackTrace());

    assertEquals(4L, Tasks.count(Tasks.run(executor, reports, run, 0)));

    executor.handle(new ForgetStage(run.id()));
    TaskLaunch late = run.launch(0);
    executor.handle(new LaunchTasks(List.of(late)));
    assertEquals("stage not registered",
        Tasks.failure(reports.await(late.attempt()), ExceptionFailure.class).message());
  }

  @Test
  void slotsRunTasksConcurrentlyAndEachGetsItsOwnOutcome() throws Exception {
    List<Integer> ids = List.of(0, 1, 2, 3, 4, 5, 6, 7);
    FlatMapFunction<Integer, Long> records = i -> {
      BOTH_SLOTS.await(10, TimeUnit.SECONDS); // times out unless another task is running too
      return LongStream.range(0, 100L * (i + 1)).boxed().iterator();
    };
    Stage stage = onlyStage(ctx.parallelize(ids, Encoders.ints(), 8).flatMap(records, Encoders.longs()),
        new Action.Count());
    assertEquals(8, stage.numTasks());

    List<TaskEnded> ended = Tasks.runAll(executor, reports, Tasks.register(stage));

    for (int i = 0; i < 8; i++) {
      assertEquals(i, ended.get(i).attempt().partition());
      assertEquals(100L * (i + 1), Tasks.count(ended.get(i)));
    }
    assertTrue(reports.updates() >= 1 && reports.updates() <= 8, "batched: " + reports.updates());
  }

  @Test
  void aBroadcastIsFetchedOncePerExecutorAndAgainOnlyAfterItIsDropped() throws Exception {
    Broadcast<Map<Long, String>> names = ctx.broadcast(new HashMap<>(Map.of(0L, "zero", 1L, "one", 2L, "two")));
    MapFunction<Long, String> name = x -> names.value().get(x % 3);
    Dataset<String> named = ctx.parallelize(longs(0, 12), Encoders.longs(), 4).map(name, Encoders.strings());
    List<Object> expected = longs(0, 12).stream().map(x -> (Object) List.of("zero", "one", "two").get((int) (x % 3)))
        .toList();

    List<List<TaskEnded>> first = Tasks.runPlan(executor, reports, planning.plan(named, collect()));
    assertEquals(expected, Tasks.collected(first.get(0), LOADER));
    assertEquals(1, planning.broadcastFetches(), "four tasks, one fetch");

    Tasks.runPlan(executor, reports, planning.plan(named, collect()));
    assertEquals(1, planning.broadcastFetches(), "later jobs share it too");

    executor.handle(new DropBroadcast(names.id()));
    List<List<TaskEnded>> again = Tasks.runPlan(executor, reports, planning.plan(named, collect()));
    assertEquals(expected, Tasks.collected(again.get(0), LOADER));
    assertEquals(2, planning.broadcastFetches());
  }
}
