package io.dflow.driver.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.plan.Action;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.TaskEndReason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An executor that fails a stage's tasks is offered no more of them once it failed two, while
 * another executor can take them; the last executor is never excluded; kills do not count.
 */
class ExcludeOnFailureTest {
  private static final TaskEndReason BROKEN = new TaskEndReason.ExceptionFailure("java.io.IOException",
      "disk error", "split x", "java.io.IOException: disk error");

  @Test
  void anExecutorThatFailsTwoTasksGetsNoMoreOfTheStage() {
    try (SchedulerFixture f = new SchedulerFixture(4, 4)) {
      FakeExecutor bad = f.executor("bad", "h1", 1);
      FakeExecutor good = f.executor("good", "h2", 1);
      SchedulerFixture.JobRun job = f.submit(f.ctx.parallelize(List.of(1, 2, 3, 4, 5, 6), Encoders.ints(), 6),
          new Action.Count());
      f.end(bad, bad.takeLaunched().get(0), BROKEN);
      f.end(bad, bad.takeLaunched().get(0), BROKEN);
      assertTrue(bad.takeLaunched().isEmpty(), "excluded after its second failure");
      List<ListenerEvent.ExecutorExcluded> excluded = f.events(ListenerEvent.ExecutorExcluded.class);
      assertEquals(1, excluded.size());
      assertEquals("bad", excluded.get(0).executor().value());
      int ran = 0;
      for (List<TaskLaunch> launches = good.takeLaunched(); !launches.isEmpty(); launches = good.takeLaunched()) {
        ran += launches.size();
        f.succeedAll(good, launches);
        assertTrue(bad.takeLaunched().isEmpty(), "nothing more for the excluded executor");
      }
      assertEquals(6, ran, "the good executor runs every task, the two that failed too");
      assertTrue(job.outcome.isDone() && !job.outcome.isCompletedExceptionally());
      assertEquals(6, job.results.size());
    }
  }

  @Test
  void theLastExecutorIsNeverExcluded() {
    try (SchedulerFixture f = new SchedulerFixture(4, 4)) {
      FakeExecutor only = f.executor("only", "h1", 1);
      SchedulerFixture.JobRun job = f.submit(f.ctx.parallelize(List.of(1, 2, 3), Encoders.ints(), 3),
          new Action.Count());
      f.end(only, only.takeLaunched().get(0), BROKEN);
      f.end(only, only.takeLaunched().get(0), BROKEN);
      for (int done = 0; done < 3; done++) {
        f.succeed(only, only.takeLaunched().get(0));
      }
      assertEquals(3, job.results.size());
      assertTrue(f.events(ListenerEvent.ExecutorExcluded.class).isEmpty(), "no exclusion is announced");
    }
  }

  @Test
  void killsDoNotCountAndExclusionCanBeTurnedOff() {
    try (SchedulerFixture f = new SchedulerFixture(4, 4)) {
      FakeExecutor a = f.executor("a", "h1", 1);
      f.executor("b", "h2", 1);
      f.submit(f.ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 4), new Action.Count());
      f.end(a, a.takeLaunched().get(0), new TaskEndReason.Killed("asked to"));
      f.end(a, a.takeLaunched().get(0), new TaskEndReason.Killed("asked to"));
      assertEquals(1, a.takeLaunched().size(), "kills are not the executor's fault");
    }
    assertEquals(new ExcludeOnFailure(false, 2), ExcludeOnFailure.from(Map.of(ExcludeOnFailure.ENABLED, "false")));
    assertThrows(IllegalArgumentException.class,
        () -> ExcludeOnFailure.from(Map.of(ExcludeOnFailure.MAX_FAILED_TASKS, "0")));
  }
}
