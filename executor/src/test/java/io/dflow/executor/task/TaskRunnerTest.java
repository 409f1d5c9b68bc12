package io.dflow.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.KeyOrder;
import io.dflow.api.Pair;
import io.dflow.api.RangePartitioner;
import io.dflow.api.function.FilterFunction;
import io.dflow.api.function.FlatMapFunction;
import io.dflow.api.function.MapFunction;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.function.ReduceFunction;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.ShuffleSpec.Kind;
import io.dflow.api.plan.Steps;
import io.dflow.executor.protocol.ControlMessage.LaunchTask;
import io.dflow.executor.protocol.ControlMessage.TaskFinished;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.protocol.TaskMetrics;
import io.dflow.planner.StageOutput;
import io.dflow.planner.TaskInput;
import io.dflow.planner.TaskSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Real task launches run by an in-process {@link Executor}, as in {@code local[N]}. */
class TaskRunnerTest extends InProcessExecutorTest {

  private static List<Long> longs(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  @Test
  void countsASliceThroughAFusedPipeline() throws Exception {
    MapFunction<Long, Long> twice = x -> x * 2;
    FilterFunction<Long> byThree = x -> x % 3 == 0;
    FlatMapFunction<Long, Long> andNext = x -> List.of(x, x + 1).iterator();
    TaskSpec spec = Tasks.spec(0, 0, Tasks.slice(longs(0, 1_000)),
        List.of(Steps.map(twice), Steps.filter(byThree), Steps.flatMap(andNext)), Tasks.count());

    TaskFinished finished = Tasks.run(executor, Tasks.launch(0, spec));

    long expected = LongStream.range(0, 1_000).map(x -> x * 2).filter(x -> x % 3 == 0).count() * 2;
    assertEquals(expected, Tasks.result(finished, LOADER, Long.class));
    assertEquals(expected, finished.metrics().recordsOut());
    assertEquals("exec-1", finished.executorId());
    assertEquals(0, finished.attempt().index());
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
    TaskSpec spec = Tasks.spec(0, 0, Tasks.slice(longs(1, 6)), List.of(Steps.mapPartitions(runningSums)), Tasks.collect());
    assertEquals(List.of("sum=1", "sum=3", "sum=6", "sum=10", "sum=15"),
        Tasks.result(Tasks.run(executor, Tasks.launch(0, spec)), LOADER, List.class));
  }

  @Test
  void aMapStageAndAReduceStageCountWords() throws Exception {
    Random random = new Random(7);
    List<List<String>> slices = new ArrayList<>();
    Map<String, Long> expected = new TreeMap<>();
    for (int s = 0; s < 3; s++) {
      List<String> lines = new ArrayList<>();
      for (int l = 0; l < 200; l++) {
        StringBuilder line = new StringBuilder();
        for (int w = random.nextInt(8); w >= 0; w--) {
          String word = "w" + random.nextInt(40);
          expected.merge(word, 1L, Long::sum);
          line.append(word).append(' ');
        }
        lines.add(line.toString().strip());
      }
      slices.add(lines);
    }
    ReduceFunction<Object> sum = (a, b) -> (Long) a + (Long) b;
    ShuffleSpec shuffle = new ShuffleSpec(Kind.REDUCE_BY_KEY, new HashPartitioner(4), 4, Encoders.strings(),
        Encoders.longs(), sum, null);
    FlatMapFunction<String, Object> words = line -> Arrays.stream(line.split(" "))
        .map(w -> (Object) Pair.of(w, 1L)).iterator();

    List<MapOutputLocation> maps = new ArrayList<>();
    long written = 0;
    for (int m = 0; m < slices.size(); m++) {
      TaskSpec map = Tasks.spec(0, m, Tasks.slice(slices.get(m)), List.of(Steps.flatMap(words)),
          new StageOutput.ShuffleWrite(0, shuffle));
      TaskFinished done = Tasks.run(executor, Tasks.launch(2, map));
      assertTrue(done.succeeded(), done.error());
      assertNull(done.result());
      written += done.metrics().shuffleBytesWritten();
      maps.add(new MapOutputLocation(m, "exec-1", "localhost", 0));
    }

    List<TaskFinished> reduces = new ArrayList<>();
    long read = 0;
    for (int p = 0; p < 4; p++) {
      TaskSpec reduce = Tasks.spec(1, p, new TaskInput.ReadShuffle(0, p, shuffle), List.of(), Tasks.collect());
      TaskFinished done = Tasks.run(executor, Tasks.launch(2, reduce, null, maps));
      reduces.add(done);
      read += done.metrics().shuffleBytesRead();
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
    RangePartitioner range = new RangePartitioner(List.of("g", "p"), KeyOrder.ASCENDING);
    ShuffleSpec shuffle = new ShuffleSpec(Kind.SORT_BY_KEY, range, 3, Encoders.strings(), Encoders.ints(), null,
        KeyOrder.ASCENDING);
    MapFunction<String, Object> withLength = s -> Pair.of(s, s.length());
    Random random = new Random(11);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      keys.add(Integer.toString(random.nextInt(1 << 20), 36));
    }
    int half = keys.size() / 2;
    List<MapOutputLocation> maps = new ArrayList<>();
    for (int m = 0; m < 2; m++) {
      TaskSpec map = Tasks.spec(0, m, Tasks.slice(m == 0 ? keys.subList(0, half) : keys.subList(half, keys.size())),
          List.of(Steps.map(withLength)), new StageOutput.ShuffleWrite(4, shuffle));
      assertTrue(Tasks.run(executor, Tasks.launch(1, map)).succeeded());
      maps.add(new MapOutputLocation(m, "exec-1", "localhost", 0));
    }
    List<TaskFinished> reduces = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      TaskSpec reduce = Tasks.spec(1, p, new TaskInput.ReadShuffle(4, p, shuffle), List.of(), Tasks.collect());
      reduces.add(Tasks.run(executor, Tasks.launch(1, reduce, null, maps)));
    }
    List<Object> expected = keys.stream().sorted().map(k -> (Object) Pair.of(k, k.length())).toList();
    assertEquals(expected, Tasks.collected(reduces, LOADER));
  }

  @Test
  void aFailingUserFunctionIsReportedWithTheInputAndTheUsersException() throws Exception {
    MapFunction<Long, Long> picky = x -> {
      if (x == 13) {
        throw new Exception("bad record 13");
      }
      return x;
    };
    TaskSpec spec = Tasks.spec(0, 0, Tasks.slice(longs(0, 20)), List.of(Steps.map(picky)), Tasks.count());
    TaskFinished finished = Tasks.run(executor, Tasks.launch(0, spec));

    assertFalse(finished.succeeded());
    assertNull(finished.result());
    assertTrue(finished.error().startsWith("slice of 20 records: java.lang.Exception: bad record 13"), finished.error());
    assertFalse(finished.error().contains("UserCodeException"), finished.error());
    assertTrue(finished.error().contains("TaskRunnerTest"), "the user's stack frames: " + finished.error());

    FilterFunction<Long> unchecked = x -> {
      throw new IllegalStateException("filter gave up");
    };
    TaskSpec spec2 = Tasks.spec(0, 1, Tasks.slice(longs(0, 3)), List.of(Steps.filter(unchecked)), Tasks.collect());
    TaskFinished finished2 = Tasks.run(executor, Tasks.launch(0, spec2));
    assertTrue(finished2.error().startsWith("slice of 3 records: java.lang.IllegalStateException: filter gave up"),
        finished2.error());
  }

  @Test
  void aCollectOverTheLimitFailsClearly() throws Exception {
    TaskSpec spec = Tasks.spec(0, 0, Tasks.slice(longs(0, 1_000)), List.of(),
        new StageOutput.Result(new Action.Collect(500)));
    TaskFinished finished = Tasks.run(executor, Tasks.launch(0, spec));
    assertFalse(finished.succeeded());
    assertTrue(finished.error().contains("this task's part of collect() is "), finished.error());
    assertTrue(finished.error().contains("bytes, over the limit of 500 (dflow.collect.maxBytes)"), finished.error());
  }

  @Test
  void aReduceTaskWhoseMapOutputIsMissingNamesItsShuffle() throws Exception {
    ShuffleSpec shuffle = new ShuffleSpec(Kind.GROUP_BY_KEY, new HashPartitioner(2), 2, Encoders.strings(),
        Encoders.longs(), null, null);
    TaskSpec reduce = Tasks.spec(1, 1, new TaskInput.ReadShuffle(3, 1, shuffle), List.of(), Tasks.collect());
    TaskFinished finished = Tasks.run(executor,
        Tasks.launch(5, reduce, null, List.of(new MapOutputLocation(0, "exec-1", "localhost", 0))));
    assertFalse(finished.succeeded());
    assertTrue(finished.error().startsWith("shuffle 3 partition 1: java.io.IOException: cannot fetch shuffle 3 "
        + "partition 1 of map task 0 from executor exec-1 (localhost:0): no map output shuffle_5_3_0"), finished.error());
  }

  @Test
  void aTaskCapturingAClassOutsideTheAllowListIsRefused() throws Exception {
    ConcurrentHashMap<Long, Long> lookup = new ConcurrentHashMap<>();
    MapFunction<Long, Long> usesLookup = x -> lookup.getOrDefault(x, x);
    TaskSpec spec = Tasks.spec(0, 0, Tasks.slice(longs(0, 3)), List.of(Steps.map(usesLookup)), Tasks.count());
    TaskFinished finished = Tasks.run(executor, Tasks.launch(0, spec));
    assertFalse(finished.succeeded());
    assertTrue(finished.error().startsWith("java.io.InvalidClassException: filter status: REJECTED"), finished.error());
  }

  @Test
  void garbageInsteadOfATaskFails() throws Exception {
    var launch = Tasks.launch(0, Tasks.spec(0, 0, Tasks.slice(List.of()), List.of(), Tasks.count()));
    var broken = new LaunchTask(launch.attempt(), null, Map.of(),
        new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, List.of());
    TaskFinished finished = Tasks.run(executor, broken);
    assertFalse(finished.succeeded());
    assertTrue(finished.error().startsWith("java.io.StreamCorruptedException: invalid stream header: 01020304"), finished.error());
    assertEquals(TaskMetrics.NONE.recordsOut(), finished.metrics().recordsOut());
  }

  @Test
  void slotsRunTasksConcurrentlyAndEachGetsItsOwnOutcome() throws Exception {
    List<CompletableFuture<TaskFinished>> running = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      TaskSpec spec = Tasks.spec(0, i, Tasks.slice(longs(0, 100L * (i + 1))), List.of(), Tasks.count());
      CompletableFuture<TaskFinished> done = new CompletableFuture<>();
      executor.launch(Tasks.launch(0, spec), done::complete);
      running.add(done);
    }
    for (int i = 0; i < 8; i++) {
      TaskFinished finished = running.get(i).get(30, TimeUnit.SECONDS);
      assertEquals(i, finished.attempt().index());
      assertEquals(100L * (i + 1), Tasks.result(finished, LOADER, Long.class));
    }
  }
}
