package io.dflow.driver.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import io.dflow.api.plan.Action;
import io.dflow.driver.JobFailedException;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.planner.ShuffleId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the DAG scheduler recovers, in simulated time: a failed fetch recomputes only the lost map
 * output, a lost executor's running tasks and map outputs are redone elsewhere (also for a
 * later job that needs them), and attempts are bounded.
 */
class RecoveryTest {
  private SchedulerFixture f = new SchedulerFixture(4, 4);

  @AfterEach
  void close() {
    f.close();
  }

  private PairDataset<Long, Long> reduced() {
    return f.ctx.parallelize(LongStream.range(0, 16).boxed().toList(), Encoders.longs(), 4)
        .mapToPair(x -> Pair.of(x % 3, x), Encoders.longs(), Encoders.longs())
        .reduceByKey(Long::sum, 2);
  }

  private static List<MapOutputLocation> locations(RegisterStage stage) {
    return stage.shuffleInputs().values().iterator().next();
  }

  @Test
  void aFailedFetchRecomputesOnlyTheLostMapOutputThenTheUnfinishedReduceTasks() {
    FakeExecutor e = f.executor("e", "h", 4);
    SchedulerFixture.JobRun job = f.submit(reduced(), new Action.Count());
    List<TaskLaunch> maps = e.takeLaunched();
    f.succeedAll(e, maps);
    List<TaskLaunch> reduces = e.takeLaunched();
    assertEquals(2, reduces.size());
    RegisterStage firstReduce = e.stages.get(reduces.get(0).attempt().stage());
    ShuffleId shuffle = firstReduce.shuffleInputs().keySet().iterator().next();
    f.succeed(e, reduces.get(1));
    f.end(e, reduces.get(0), new TaskEndReason.FetchFailed(shuffle, 2, e.id(), "connection reset"));

    List<TaskLaunch> again = e.takeLaunched();
    assertEquals(1, again.size(), "only the lost map output is recomputed: " + again);
    assertEquals(2, again.get(0).attempt().partition());
    assertEquals(1, again.get(0).attempt().stage().attempt(), "a new attempt of the map stage");
    f.succeed(e, again.get(0));

    List<TaskLaunch> retried = e.takeLaunched();
    assertEquals(1, retried.size(), "only the unfinished reduce partition runs again");
    assertEquals(reduces.get(0).attempt().partition(), retried.get(0).attempt().partition());
    RegisterStage secondReduce = e.stages.get(retried.get(0).attempt().stage());
    assertEquals(again.get(0).attempt().taskId(), locations(secondReduce).get(2).taskId(),
        "the reducer is sent to the recomputed output");
    f.succeed(e, retried.get(0));
    assertEquals(new JobSummary(4, 7), job.outcome.join(), "4 + 1 map tasks and 1 + 1 reduce tasks, in 2 + 2 stage attempts");
    assertEquals(2, job.results.size());
  }

  @Test
  void anExecutorLostMidStageHasItsRunningTasksAndFinishedOutputsRedoneElsewhere() {
    FakeExecutor doomed = f.executor("doomed", "h1", 2);
    FakeExecutor survivor = f.executor("survivor", "h2", 2);
    SchedulerFixture.JobRun job = f.submit(reduced(), new Action.Count());
    List<TaskLaunch> onDoomed = doomed.takeLaunched();
    List<TaskLaunch> onSurvivor = survivor.takeLaunched();
    f.succeed(doomed, onDoomed.get(0));
    f.dag.handle(new SchedulerEvent.ExecutorLost(doomed.id(), "process exited with code 137"));
    f.dag.afterEvents();
    f.succeed(doomed, onDoomed.get(1)); // a late report from the lost executor is ignored
    f.succeedAll(survivor, onSurvivor);
    List<Integer> redone = new ArrayList<>();
    for (int round = 0; round < 3 && redone.size() < 2; round++) {
      List<TaskLaunch> more = survivor.takeLaunched();
      more.forEach(t -> redone.add(t.attempt().partition()));
      f.succeedAll(survivor, more);
    }
    assertEquals(List.of(onDoomed.get(0).attempt().partition(), onDoomed.get(1).attempt().partition()).stream()
        .sorted().toList(), redone.stream().sorted().toList());
    List<TaskLaunch> reduces = survivor.takeLaunched();
    RegisterStage reduce = survivor.stages.get(reduces.get(0).attempt().stage());
    assertTrue(locations(reduce).stream().allMatch(l -> l.executor().equals(survivor.id())), locations(reduce).toString());
    f.succeedAll(survivor, reduces);
    job.outcome.join();
    assertEquals(1, f.events(ListenerEvent.ExecutorRemoved.class).size());
  }

  @Test
  void aLaterJobRecomputesTheMapOutputsThatDiedWithAnExecutor() {
    FakeExecutor a = f.executor("a", "h1", 2);
    FakeExecutor b = f.executor("b", "h2", 2);
    PairDataset<Long, Long> reduced = reduced();
    SchedulerFixture.JobRun first = f.submit(reduced, new Action.Count());
    List<TaskLaunch> onA = a.takeLaunched();
    f.succeedAll(a, onA);
    f.succeedAll(b, b.takeLaunched());
    f.succeedAll(a, a.takeLaunched());
    f.succeedAll(b, b.takeLaunched());
    first.outcome.join();

    f.dag.handle(new SchedulerEvent.ExecutorLost(a.id(), "killed"));
    f.dag.afterEvents();
    SchedulerFixture.JobRun second = f.submit(reduced, new Action.Count());
    List<TaskLaunch> rerun = b.takeLaunched();
    assertEquals(onA.stream().map(t -> t.attempt().partition()).sorted().toList(),
        rerun.stream().map(t -> t.attempt().partition()).sorted().toList(),
        "exactly the map tasks whose outputs lived on a");
    f.succeedAll(b, rerun);
    List<TaskLaunch> results = b.takeLaunched();
    assertEquals(2, results.size());
    f.succeedAll(b, results);
    assertEquals(new JobSummary(2, 4), second.outcome.join());
  }

  @Test
  void repeatedFetchFailuresExhaustTheStageAttempts() {
    f.close();
    f = new SchedulerFixture(4, 2);
    FakeExecutor e = f.executor("e", "h", 4);
    SchedulerFixture.JobRun job = f.submit(reduced(), new Action.Count());
    f.succeedAll(e, e.takeLaunched());
    List<TaskLaunch> reduces = e.takeLaunched();
    ShuffleId shuffle = e.stages.get(reduces.get(0).attempt().stage()).shuffleInputs().keySet().iterator().next();
    f.end(e, reduces.get(0), new TaskEndReason.FetchFailed(shuffle, 0, e.id(), "disk gone"));
    List<TaskLaunch> recomputed = e.takeLaunched();
    assertEquals(1, recomputed.size());
    f.succeed(e, recomputed.get(0));
    List<TaskLaunch> second = e.takeLaunched();
    assertEquals(1, second.get(0).attempt().stage().attempt(), "the reduce stage's second attempt");
    f.end(e, second.get(0), new TaskEndReason.FetchFailed(shuffle, 0, e.id(), "disk gone"));
    CompletionException failed = assertThrows(CompletionException.class, job.outcome::join);
    assertTrue(failed.getCause() instanceof JobFailedException);
    assertTrue(failed.getCause().getMessage().contains("failed 2 times (dflow.stage.maxAttempts=2)"),
        failed.getCause().getMessage());
    assertTrue(failed.getCause().getMessage().contains("disk gone"), failed.getCause().getMessage());
  }

  @Test
  void aTaskOutOfAttemptsFailsItsJobNamingTheTaskAndTheCause() {
    f.close();
    f = new SchedulerFixture(2, 4);
    FakeExecutor e = f.executor("e", "h", 1);
    SchedulerFixture.JobRun job = f.submit(f.ctx.parallelize(List.of(1), Encoders.ints(), 1), new Action.Count());
    for (int i = 0; i < 2; i++) {
      TaskLaunch t = e.takeLaunched().get(0);
      assertEquals(i, t.attempt().attempt());
      f.end(e, t, new TaskEndReason.ExceptionFailure("java.lang.IllegalStateException", "boom", "slice of 1 records",
          "java.lang.IllegalStateException: boom"));
    }
    CompletionException failed = assertThrows(CompletionException.class, job.outcome::join);
    String message = failed.getCause().getMessage();
    assertTrue(message.startsWith("task failed: job 0 stage 0 (parallelize (1 records in 1 slice)) task 0 (attempt 2 of 2): "
        + "slice of 1 records: java.lang.IllegalStateException: boom"), message);
    assertTrue(e.takeLaunched().isEmpty());
  }

  @Test
  void losingTheLastExecutorFailsTheJob() {
    FakeExecutor e = f.executor("e", "h", 1);
    SchedulerFixture.JobRun job = f.submit(f.ctx.parallelize(List.of(1), Encoders.ints(), 1), new Action.Count());
    f.dag.handle(new SchedulerEvent.ExecutorLost(e.id(), "out of memory"));
    f.dag.afterEvents();
    CompletionException failed = assertThrows(CompletionException.class, job.outcome::join);
    assertTrue(failed.getCause().getMessage().contains("no executors left (last lost: e: out of memory)"),
        failed.getCause().getMessage());
  }
}
