package io.dflow.driver.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Dataset;
import io.dflow.api.Encoders;
import io.dflow.api.plan.Action;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.StageAttemptId;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.executor.protocol.TaskMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MPI gangs in the scheduler, in simulated time: all of a gang's slots are reserved at once or
 * none; reservations go in order (a waiting gang holds back the work behind it); a failed gang
 * runs again as one, counting once per attempt; a gang bigger than the cluster fails at once.
 */
class GangSchedulingTest {
  /** Records the gangs the scheduler launches and kills, for the test to end as it likes. */
  static final class FakeGangs implements GangLauncher {
    final List<Gang> launched = new ArrayList<>();
    final List<StageAttemptId> killed = new ArrayList<>();

    @Override
    public void launch(Gang gang) {
      launched.add(gang);
    }

    @Override
    public void kill(StageAttemptId stage, String reason) {
      killed.add(stage);
    }

    Gang last() {
      return launched.get(launched.size() - 1);
    }
  }

  private final FakeGangs gangs = new FakeGangs();
  private final SchedulerFixture f = new SchedulerFixture(1, 4, Map.of(), gangs);

  @AfterEach
  void close() {
    f.close();
  }

  private Dataset<Integer> gang(int ranks) {
    return f.ctx.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), Encoders.ints(), ranks)
        .mpi(ranks, (comm, part) -> part, Encoders.ints());
  }

  private Dataset<Integer> ordinary(int tasks) {
    return f.ctx.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), Encoders.ints(), tasks);
  }

  /** Reports the ends of a gang's ranks, as the gang runner does: all in one update. */
  private void endGang(GangLauncher.Gang gang, List<TaskEndReason> reasons) {
    List<TaskEnded> ended = new ArrayList<>();
    for (int r = 0; r < gang.tasks().size(); r++) {
      ended.add(new TaskEnded(gang.tasks().get(r).attempt(), gang.executors().get(r).id(), reasons.get(r),
          new TaskMetrics(1, 0, 0, 0, 1)));
    }
    f.dag.handle(new SchedulerEvent.StatusReceived(gang.executors().get(0).id(), ended));
    f.dag.afterEvents();
  }

  private List<TaskEndReason> successes(GangLauncher.Gang gang) {
    List<TaskEndReason> out = new ArrayList<>();
    for (int r = 0; r < gang.tasks().size(); r++) {
      out.add(f.success(gang.stage(), Map.of(), List.of()));
    }
    return out;
  }

  private static List<TaskEndReason> rankFailed(int size, int rank) {
    List<TaskEndReason> out = new ArrayList<>();
    for (int r = 0; r < size; r++) {
      out.add(r == rank ? new TaskEndReason.ExceptionFailure("X", "boom", "rank " + rank, "boom")
          : new TaskEndReason.Killed("rank " + rank + " of the gang failed"));
    }
    return out;
  }

  @Test
  void aGangStartsOnlyWhenEverySlotItNeedsIsFreeAndThenAllAtOnce() {
    FakeExecutor a = f.executor("a", "h1", 2);
    FakeExecutor b = f.executor("b", "h2", 2);
    SchedulerFixture.JobRun first = f.submit(ordinary(1), new Action.Count());
    List<TaskLaunch> busy = new ArrayList<>(a.takeLaunched());
    busy.addAll(b.takeLaunched());
    assertEquals(1, busy.size());
    SchedulerFixture.JobRun job = f.submit(gang(4), new Action.Count());
    assertTrue(gangs.launched.isEmpty(), "3 free slots are not enough for 4 ranks");
    f.succeed(a.stages.isEmpty() ? b : a, busy.get(0));
    assertTrue(first.outcome.isDone());
    assertEquals(1, gangs.launched.size());
    GangLauncher.Gang g = gangs.last();
    assertEquals(4, g.tasks().size());
    for (int r = 0; r < 4; r++) {
      assertEquals(r, g.tasks().get(r).attempt().partition(), "rank r computes partition r");
    }
    assertEquals(Set.of(a.id(), b.id()), new HashSet<>(g.executors().stream().map(e -> e.id()).toList()));
    assertTrue(a.takeLaunched().isEmpty() && b.takeLaunched().isEmpty(), "no rank goes to an executor as a task");
    endGang(g, successes(g));
    assertEquals(new JobSummary(1, 4), job.outcome.join());
  }

  @Test
  void slotsFreedWhileAGangWaitsAreKeptForItNotGivenToLaterWork() {
    FakeExecutor e = f.executor("e", "h", 4);
    f.submit(ordinary(2), new Action.Count());
    List<TaskLaunch> running = e.takeLaunched();
    assertEquals(2, running.size());
    SchedulerFixture.JobRun gangJob = f.submit(gang(4), new Action.Count());
    SchedulerFixture.JobRun later = f.submit(ordinary(4), new Action.Count());
    assertTrue(e.takeLaunched().isEmpty(), "the job behind the waiting gang takes none of the 2 free slots");
    f.succeed(e, running.get(0));
    assertTrue(e.takeLaunched().isEmpty() && gangs.launched.isEmpty(), "3 free: the gang still waits, and so does the rest");
    f.succeed(e, running.get(1));
    assertEquals(1, gangs.launched.size(), "4 free: the gang takes them all");
    assertTrue(e.takeLaunched().isEmpty());
    endGang(gangs.last(), successes(gangs.last()));
    assertTrue(gangJob.outcome.isDone());
    assertEquals(4, e.takeLaunched().size(), "then the later job runs");
    assertFalse(later.outcome.isDone());
  }

  @Test
  void aFailedGangRunsAgainAsOneAndFailsTheJobAfterItsLastAttempt() {
    FakeExecutor e = f.executor("e", "h", 4);
    SchedulerFixture.JobRun job = f.submit(gang(4), new Action.Count());
    GangLauncher.Gang first = gangs.last();
    endGang(first, rankFailed(4, 1));
    assertEquals(2, gangs.launched.size(), "every rank again, together");
    GangLauncher.Gang second = gangs.last();
    for (int r = 0; r < 4; r++) {
      assertEquals(first.tasks().get(r).attempt().attempt() + 1, second.tasks().get(r).attempt().attempt());
    }
    endGang(second, rankFailed(4, 3));
    assertEquals(2, gangs.launched.size(), "dflow.mpi.maxAttempts=2: no third gang");
    CompletionException failed = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        job.outcome::join);
    String message = failed.getCause().getMessage();
    assertTrue(message.startsWith("MPI gang failed: job 0 stage") && message.contains("rank 3 (gang attempt 2 of 2"),
        message);
    assertTrue(e.takeLaunched().isEmpty());
  }

  @Test
  void anExecutorLostUnderARunningGangStopsTheGangWhichRunsAgainWhenThereAreSlots() {
    FakeExecutor a = f.executor("a", "h1", 2);
    FakeExecutor b = f.executor("b", "h2", 2);
    SchedulerFixture.JobRun job = f.submit(gang(4), new Action.Count());
    GangLauncher.Gang first = gangs.last();
    f.dag.handle(new SchedulerEvent.ExecutorLost(b.id(), "killed", true));
    f.dag.afterEvents();
    assertTrue(gangs.killed.contains(first.stage().stage()), "the rest of the gang is stopped");
    List<TaskEndReason> killed = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      killed.add(new TaskEndReason.Killed("another rank of the gang failed"));
    }
    endGang(first, killed);
    assertEquals(1, gangs.launched.size(), "2 slots left: the gang waits for 4");
    f.executor("c", "h3", 2);
    assertEquals(2, gangs.launched.size());
    GangLauncher.Gang second = gangs.last();
    assertFalse(second.executors().stream().anyMatch(x -> x.id().equals(b.id())));
    endGang(second, successes(second));
    assertEquals(new JobSummary(1, 4), job.outcome.join());
    assertTrue(a.takeLaunched().isEmpty());
  }

  @Test
  void aGangBiggerThanTheClusterFailsAtOnce() {
    f.executor("e", "h", 2);
    SchedulerFixture.JobRun job = f.submit(gang(3), new Action.Count());
    assertTrue(gangs.launched.isEmpty());
    CompletionException failed = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        job.outcome::join);
    assertEquals("mpi(3) needs 3 task slots at once, but the cluster has 2: use at most 2 ranks, or a master"
        + " with more slots", failed.getCause().getMessage());
  }
}
