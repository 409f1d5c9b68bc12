package io.dflow.driver.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.InputFile;
import io.dflow.api.plan.InputFile.BlockInfo;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.BlockUpdate;
import io.dflow.executor.protocol.CachedBlockLocation;
import io.dflow.executor.protocol.ControlMessage.LaunchTasks;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.protocol.StageAttemptId;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.planner.ShuffleId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The DAG scheduler's normal course, in simulated time with fake executors: slots, the order of
 * stages, reuse of map outputs and cached partitions across jobs, placement, batching, counters.
 */
class DagSchedulerTest {
  private SchedulerFixture f = new SchedulerFixture(1, 4);

  @AfterEach
  void close() {
    f.close();
  }

  private PairDataset<Long, Long> pairs(int slices) {
    return f.ctx.parallelize(LongStream.range(0, 16).boxed().toList(), Encoders.longs(), slices)
        .mapToPair(x -> Pair.of(x % 3, x), Encoders.longs(), Encoders.longs());
  }

  @Test
  void aStageNeverRunsMoreTasksThanSlotsAndEndsWhenAllSucceed() {
    FakeExecutor e = f.executor("e1", "h1", 2);
    SchedulerFixture.JobRun job = f.submit(f.ctx.parallelize(List.of(1, 2, 3, 4, 5), Encoders.ints(), 5),
        new Action.Count());
    List<TaskLaunch> first = e.takeLaunched();
    assertEquals(2, first.size());
    f.succeed(e, first.get(1));
    List<TaskLaunch> second = e.takeLaunched();
    assertEquals(1, second.size(), "one freed slot, one new task");
    f.succeedAll(e, List.of(first.get(0), second.get(0)));
    List<TaskLaunch> rest = e.takeLaunched();
    assertEquals(2, rest.size());
    assertFalse(job.outcome.isDone());
    f.succeedAll(e, rest);
    assertTrue(job.outcome.isDone() && !job.outcome.isCompletedExceptionally());
    assertEquals(Set.of(0, 1, 2, 3, 4), job.results.keySet());
    assertEquals(new JobSummary(1, 5), job.outcome.join());
  }

  @Test
  void aReduceStageStartsWhenEveryMapOutputExistsAndIsToldWhereEachIs() {
    FakeExecutor a = f.executor("a", "h1", 2);
    FakeExecutor b = f.executor("b", "h2", 2);
    SchedulerFixture.JobRun job = f.submit(pairs(4).reduceByKey(Long::sum, 2), new Action.Count());
    List<TaskLaunch> onA = a.takeLaunched();
    List<TaskLaunch> onB = b.takeLaunched();
    assertEquals(2, onA.size());
    assertEquals(2, onB.size());
    f.succeedAll(a, onA);
    f.succeed(b, onB.get(0));
    assertTrue(a.takeLaunched().isEmpty() && b.takeLaunched().isEmpty(), "no reduce task before the last map output");
    f.succeed(b, onB.get(1));
    List<TaskLaunch> reduces = new ArrayList<>(a.takeLaunched());
    reduces.addAll(b.takeLaunched());
    assertEquals(2, reduces.size());

    RegisterStage reduce = a.stages.get(reduces.get(0).attempt().stage());
    if (reduce == null) {
      reduce = b.stages.get(reduces.get(0).attempt().stage());
    }
    List<MapOutputLocation> where = reduce.shuffleInputs().values().iterator().next();
    Map<Integer, Long> expected = new HashMap<>();
    for (TaskLaunch m : onA) {
      expected.put(m.attempt().partition(), m.attempt().taskId());
    }
    for (TaskLaunch m : onB) {
      expected.put(m.attempt().partition(), m.attempt().taskId());
    }
    for (MapOutputLocation loc : where) {
      assertEquals(expected.get(loc.mapIndex()), loc.taskId(), "map " + loc.mapIndex() + " named by its attempt");
      boolean ranOnA = onA.stream().anyMatch(m -> m.attempt().partition() == loc.mapIndex());
      assertEquals(ranOnA ? a.id() : b.id(), loc.executor());
      assertEquals(ranOnA ? a.address() : b.address(), loc.address());
    }
    f.succeedAll(a, a.takeLaunched());
    for (TaskLaunch r : reduces) {
      f.succeed(a.stages.containsKey(r.attempt().stage()) && a.received.stream().anyMatch(
          m -> m instanceof LaunchTasks l && l.tasks().contains(r)) ? a : b, r);
    }
    assertEquals(new JobSummary(2, 6), job.outcome.join());
  }

  @Test
  void bothSidesOfAJoinRunAtTheSameTime() {
    FakeExecutor e = f.executor("e", "h", 8);
    PairDataset<Long, Long> left = pairs(2);
    PairDataset<Long, String> right = f.ctx.parallelize(List.of(1L, 2L), Encoders.longs(), 2)
        .mapToPair(x -> Pair.of(x, "r" + x), Encoders.longs(), Encoders.strings());
    f.submit(left.join(right, 2), new Action.Count());
    Set<StageAttemptId> stages = new HashSet<>();
    e.takeLaunched().forEach(t -> stages.add(t.attempt().stage()));
    assertEquals(2, stages.size(), "both map stages launched in the first round: " + stages);
  }

  @Test
  void aLaterJobSkipsTheStagesWhoseOutputsExist() {
    FakeExecutor e = f.executor("e", "h", 8);
    PairDataset<Long, Long> reduced = pairs(4).reduceByKey(Long::sum, 2);
    SchedulerFixture.JobRun first = f.submit(reduced, new Action.Count());
    f.succeedAll(e, e.takeLaunched());
    f.succeedAll(e, e.takeLaunched());
    assertEquals(new JobSummary(2, 6), first.outcome.join());

    SchedulerFixture.JobRun second = f.submit(reduced.mapValues(v -> v + 1, Encoders.longs()), new Action.Count());
    List<TaskLaunch> launched = e.takeLaunched();
    assertEquals(2, launched.size(), "only the result stage runs");
    f.succeedAll(e, launched);
    assertEquals(new JobSummary(1, 2), second.outcome.join());
    List<ListenerEvent.StageSkipped> skipped = f.events(ListenerEvent.StageSkipped.class);
    assertEquals(1, skipped.size());
    assertTrue(skipped.get(0).stage().label().contains("parallelize"), skipped.get(0).stage().label());
  }

  @Test
  void launchesAreBatchedAndAStageIsRegisteredOncePerExecutor() {
    FakeExecutor e = f.executor("e", "h", 8);
    f.submit(f.ctx.parallelize(LongStream.range(0, 12).boxed().toList(), Encoders.longs(), 12), new Action.Count());
    assertEquals(1, e.receivedOf(LaunchTasks.class).size());
    assertEquals(8, e.receivedOf(LaunchTasks.class).get(0).tasks().size());
    List<TaskLaunch> first = e.takeLaunched();
    f.succeedAll(e, first.subList(0, 3));
    assertEquals(2, e.receivedOf(LaunchTasks.class).size(), "three ends in one update, one batch of launches");
    assertEquals(3, e.receivedOf(LaunchTasks.class).get(1).tasks().size());
    assertEquals(1, e.receivedOf(RegisterStage.class).size(), "the stage was registered once");
  }

  @Test
  void aTaskGoesToTheExecutorOnTheHostOfItsSplit() {
    long mib = 1 << 20;
    f.close();
    f = new SchedulerFixture(1, 4, Map.of("/in", List.of(
        new InputFile("/in/a", 100 * mib, List.of(new BlockInfo(0, 100 * mib, List.of("host-b")))),
        new InputFile("/in/b", 100 * mib, List.of(new BlockInfo(0, 100 * mib, List.of("host-a")))))));
    FakeExecutor onA = f.executor("a", "host-a", 1);
    FakeExecutor onB = f.executor("b", "host-b", 1);
    f.submit(f.ctx.textFile("/in"), new Action.Count());
    assertEquals(1, onA.takeLaunched().get(0).attempt().partition(), "the split of /in/b lives on host-a");
    assertEquals(0, onB.takeLaunched().get(0).attempt().partition());
  }

  @Test
  void aTaskGoesWhereItsCachedPartitionIsAndAWhollyCachedInputNeedsNoParentStage() {
    FakeExecutor a = f.executor("a", "h1", 1);
    FakeExecutor b = f.executor("b", "h2", 1);
    PairDataset<Long, Long> cached = pairs(2).reduceByKey(Long::sum, 2).cache();
    int node = cached.logicalNode().id();
    SchedulerFixture.JobRun first = f.submit(cached, new Action.Count());
    f.succeedAll(a, a.takeLaunched());
    f.succeedAll(b, b.takeLaunched());
    for (FakeExecutor e : List.of(a, b)) {
      for (TaskLaunch t : e.takeLaunched()) {
        f.end(e, t, f.success(e, t, Map.of(), List.of(new BlockUpdate(node, t.attempt().partition(), true))));
      }
    }
    first.outcome.join();
    // placement depends on the offer order; find who holds what
    Map<Integer, ExecutorId> holders = new HashMap<>();
    for (int p = 0; p < 2; p++) {
      holders.put(p, f.dag.cache.holders(node, p).iterator().next());
    }
    ShuffleId shuffle = f.dag.knownShuffles().iterator().next();
    f.dag.outputs.remove(shuffle, 0, null); // the map output behind the cache is gone

    SchedulerFixture.JobRun second = f.submit(cached.mapValues(v -> -v, Encoders.longs()), new Action.Count());
    for (FakeExecutor e : List.of(a, b)) {
      List<TaskLaunch> got = e.takeLaunched();
      assertEquals(1, got.size(), e + " got " + got);
      TaskLaunch t = got.get(0);
      assertEquals(e.id(), holders.get(t.attempt().partition()), "partition " + t.attempt().partition());
      assertEquals(List.of(new CachedBlockLocation(node, t.attempt().partition(), e.id(), e.address(), e.port())),
          t.cached());
      assertTrue(f.dag.knownShuffles().contains(shuffle));
      f.succeed(e, t);
    }
    assertEquals(new JobSummary(1, 2), second.outcome.join(), "no map stage ran: the cache covers it");
  }

  @Test
  void aFailedJobKillsItsAttemptsStillRunningAndOnlyThose() {
    FakeExecutor a = f.executor("a", "h1", 1);
    FakeExecutor b = f.executor("b", "h2", 1);
    SchedulerFixture.JobRun job = f.submit(f.ctx.parallelize(List.of(1, 2), Encoders.ints(), 2), new Action.Count());
    TaskLaunch onA = a.takeLaunched().get(0);
    TaskLaunch onB = b.takeLaunched().get(0);
    f.end(a, onA, new TaskEndReason.ExceptionFailure("java.lang.RuntimeException", "broken", "slice",
        "java.lang.RuntimeException: broken"));
    assertTrue(job.outcome.isCompletedExceptionally());
    List<ControlMessage.KillTasks> kills = b.receivedOf(ControlMessage.KillTasks.class);
    assertEquals(1, kills.size());
    assertEquals(List.of(onB.attempt()), kills.get(0).attempts());
    assertTrue(kills.get(0).reason().endsWith("failed"), kills.get(0).reason());
    assertTrue(a.receivedOf(ControlMessage.KillTasks.class).isEmpty(), "its attempt had ended");
    f.end(b, onB, new TaskEndReason.Killed(kills.get(0).reason())); // the kill's report changes nothing
    assertTrue(job.outcome.isCompletedExceptionally());
  }

  @Test
  void countersAddOnlyWhatSuccessfulAttemptsReport() {
    f.close();
    f = new SchedulerFixture(2, 4);
    FakeExecutor e = f.executor("e", "h", 2);
    SchedulerFixture.JobRun job = f.submit(f.ctx.parallelize(List.of(1, 2), Encoders.ints(), 2), new Action.Count());
    List<TaskLaunch> first = e.takeLaunched();
    f.end(e, first.get(0), new TaskEndReason.ExceptionFailure("java.lang.RuntimeException", "flaky", "slice",
        "java.lang.RuntimeException: flaky"));
    f.end(e, first.get(1), f.success(e, first.get(1), Map.of("seen", 1L), List.of()));
    TaskLaunch retry = e.takeLaunched().get(0);
    assertEquals(1, retry.attempt().attempt());
    f.end(e, retry, f.success(e, retry, Map.of("seen", 1L), List.of()));
    f.end(e, retry, f.success(e, retry, Map.of("seen", 1L), List.of())); // a duplicate report
    job.outcome.join();
    assertEquals(2, f.counters.value("seen"));
  }

  @Test
  void shortTasksAreQueuedOneAheadPerSlot() {
    FakeExecutor e = f.executor("e", "h", 1);
    f.submit(f.ctx.parallelize(LongStream.range(0, 20).boxed().toList(), Encoders.longs(), 20), new Action.Count());
    for (int i = 0; i < TaskSetManager.SHORT_AFTER; i++) {
      List<TaskLaunch> one = e.takeLaunched();
      assertEquals(1, one.size(), "no history yet: one task per slot");
      f.succeed(e, one.get(0)); // ran for 1 ms
    }
    assertEquals(2, e.takeLaunched().size(), "short tasks: the slot's next task is sent ahead");
  }

  @Test
  void longTasksNeverWaitInAnExecutorsQueue() {
    FakeExecutor slow = f.executor("slow", "h2", 1);
    SchedulerFixture.JobRun longTasks = f.submit(
        f.ctx.parallelize(LongStream.range(0, 20).boxed().toList(), Encoders.longs(), 20).map(x -> x, Encoders.longs()),
        new Action.Count());
    for (int i = 0; i < 8; i++) {
      List<TaskLaunch> one = slow.takeLaunched();
      assertEquals(1, one.size(), "one task per slot");
      TaskEndReason ok = f.success(slow, one.get(0), Map.of(), List.of());
      f.dag.handle(new SchedulerEvent.StatusReceived(slow.id(), List.of(new io.dflow.executor.protocol.ControlMessage
          .TaskEnded(one.get(0).attempt(), slow.id(), ok, new io.dflow.executor.protocol.TaskMetrics(1, 0, 0, 0, 900)))));
      f.dag.afterEvents();
    }
    assertFalse(longTasks.outcome.isDone());
  }

  @Test
  void aShuffleWithOnePartitionFarLargerThanTheMedianIsReported() {
    FakeExecutor e = f.executor("e", "h", 4);
    f.submit(pairs(4).reduceByKey(Long::sum, 4), new Action.Count());
    for (TaskLaunch t : e.takeLaunched()) {
      ShuffleId shuffle = f.dag.knownShuffles().iterator().next();
      long mib = 1 << 20;
      TaskEndReason ok = new TaskEndReason.Success(null, List.of(new io.dflow.executor.protocol.MapStatus(shuffle,
          new long[] {mib / 4, mib / 4, 3 * mib, mib / 8})), List.of(), Map.of());
      f.end(e, t, ok);
    }
    List<ListenerEvent.ShuffleSkewed> skewed = f.events(ListenerEvent.ShuffleSkewed.class);
    assertEquals(1, skewed.size());
    assertEquals(2, skewed.get(0).partition());
    assertEquals(12L << 20, skewed.get(0).bytes(), "4 map outputs of 3 MiB each");
    assertEquals(1L << 20, skewed.get(0).median());
  }

  @Test
  void anEvenOrTinyShuffleIsNotReportedAsSkewed() {
    FakeExecutor e = f.executor("e", "h", 4);
    f.submit(pairs(4).reduceByKey(Long::sum, 4), new Action.Count());
    for (TaskLaunch t : e.takeLaunched()) {
      ShuffleId shuffle = f.dag.knownShuffles().iterator().next();
      f.end(e, t, new TaskEndReason.Success(null, List.of(new io.dflow.executor.protocol.MapStatus(shuffle,
          new long[] {10, 10, 200_000, 10})), List.of(), Map.of())); // skewed, but under 1 MiB in all
    }
    assertTrue(f.events(ListenerEvent.ShuffleSkewed.class).isEmpty());
  }

  @Test
  void aJobWithNoPartitionsSucceedsAtOnce() {
    f.close();
    f = new SchedulerFixture(1, 4, Map.of("/empty", List.of()));
    f.executor("e", "h", 1);
    SchedulerFixture.JobRun job = f.submit(f.ctx.textFile("/empty"), new Action.Count());
    assertEquals(new JobSummary(0, 0), job.outcome.join());
  }

  @Test
  void stageTimesComeFromTheInjectedClock() {
    FakeExecutor e = f.executor("e", "h", 1);
    f.submit(f.ctx.parallelize(List.of(1), Encoders.ints(), 1), new Action.Count());
    f.clock.advanceMillis(1500);
    f.succeedAll(e, e.takeLaunched());
    List<ListenerEvent.StageCompleted> done = f.events(ListenerEvent.StageCompleted.class);
    assertEquals(1, done.size());
    assertEquals(1_500_000_000L, done.get(0).nanos());
  }

  @Test
  void everyStageEndIsToldOnceAndBeforeItsJobsEnd() {
    FakeExecutor e = f.executor("e", "h", 8);
    SchedulerFixture.JobRun job = f.submit(pairs(4).reduceByKey(Long::sum, 2), new Action.Count());
    f.succeedAll(e, e.takeLaunched());
    f.succeedAll(e, e.takeLaunched());
    job.outcome.join();
    f.events(ListenerEvent.class); // lets the bus deliver everything
    List<String> order;
    synchronized (f.events) {
      order = f.events.stream()
          .filter(x -> x instanceof ListenerEvent.StageCompleted || x instanceof ListenerEvent.JobEnded)
          .map(x -> x.getClass().getSimpleName()).toList();
    }
    assertEquals(List.of("StageCompleted", "StageCompleted", "JobEnded"), order,
        "a caller woken by the job's end may close the bus at once");
  }
}
