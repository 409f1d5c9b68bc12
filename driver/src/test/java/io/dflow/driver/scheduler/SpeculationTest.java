package io.dflow.driver.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.plan.Action;
import io.dflow.executor.protocol.ControlMessage.KillTasks;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.TaskEndReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Speculative execution in simulated time: a straggler gets one copy, on another executor, once
 * enough of its stage succeeded; the first attempt to succeed wins and the other is killed; a
 * copy that fails leaves the straggler running alone; nothing is copied when speculation is off.
 */
class SpeculationTest {
  private static final Map<String, String> ON = Map.of(Speculation.ENABLED, "true",
      Speculation.QUANTILE, "0.5", Speculation.MULTIPLIER, "2", Speculation.MIN_RUNTIME, "1000");

  /** Four tasks on two executors of two slots; every task but the one at {@code straggler} of {@code a}'s succeeds. */
  private record Run(SchedulerFixture f, FakeExecutor a, FakeExecutor b, SchedulerFixture.JobRun job,
      TaskLaunch slow) {}

  private static Run startWithOneStraggler(Map<String, String> conf) {
    SchedulerFixture f = new SchedulerFixture(conf, Map.of(), Topology.FLAT);
    FakeExecutor a = f.executor("a", "h1", 2);
    FakeExecutor b = f.executor("b", "h2", 2);
    SchedulerFixture.JobRun job = f.submit(f.ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 4),
        new Action.Count());
    List<TaskLaunch> onA = a.takeLaunched();
    List<TaskLaunch> onB = b.takeLaunched();
    assertEquals(2, onA.size());
    assertEquals(2, onB.size());
    f.advanceMillis(400);
    f.succeed(a, onA.get(1));
    f.succeedAll(b, onB);
    return new Run(f, a, b, job, onA.get(0));
  }

  @Test
  void aStragglerGetsACopyElsewhereAndTheFirstSuccessWins() {
    Run r = startWithOneStraggler(ON);
    r.f().advanceMillis(500);
    assertTrue(r.a().takeLaunched().isEmpty() && r.b().takeLaunched().isEmpty(),
        "0.9 s of running is under the 1 s minimum: no copy yet");
    r.f().advanceMillis(200);
    assertTrue(r.a().takeLaunched().isEmpty(), "no copy beside the straggler");
    List<TaskLaunch> copies = r.b().takeLaunched();
    assertEquals(1, copies.size(), "one copy, on the other executor");
    TaskLaunch copy = copies.get(0);
    assertEquals(r.slow().attempt().partition(), copy.attempt().partition());
    assertEquals(1, copy.attempt().attempt(), "the copy is the partition's second attempt");
    r.f().advanceMillis(5000);
    assertTrue(r.b().takeLaunched().isEmpty() && r.a().takeLaunched().isEmpty(), "a partition is copied once");

    r.f().succeed(r.b(), copy);
    List<KillTasks> kills = r.a().receivedOf(KillTasks.class);
    for (KillTasks kill : kills) {
      assertEquals(List.of(r.slow().attempt()), kill.attempts(), "the straggler is killed, nothing else");
    }
    assertTrue(kills.get(0).reason().contains("succeeded first"), kills.get(0).reason());
    assertTrue(r.job().outcome.isDone() && !r.job().outcome.isCompletedExceptionally());
    assertEquals(4, r.job().results.size());
    r.f().end(r.a(), r.slow(), new TaskEndReason.Killed(kills.get(0).reason()));
    assertEquals(4, r.job().results.size(), "the killed straggler's end changes nothing");
    r.f().close();
  }

  @Test
  void aStragglerThatFinishesFirstKillsItsCopy() {
    Run r = startWithOneStraggler(ON);
    r.f().advanceMillis(2000);
    TaskLaunch copy = r.b().takeLaunched().get(0);
    r.f().succeed(r.a(), r.slow());
    assertEquals(List.of(copy.attempt()), r.b().receivedOf(KillTasks.class).get(0).attempts());
    assertEquals(4, r.job().results.size());
    r.f().close();
  }

  @Test
  void aCopyThatFailsLeavesTheStragglerRunningAlone() {
    Run r = startWithOneStraggler(ON);
    r.f().advanceMillis(2000);
    TaskLaunch copy = r.b().takeLaunched().get(0);
    // one attempt per task in this fixture: a failure that counts would end the job, a kill does not
    r.f().end(r.b(), copy, new TaskEndReason.Killed("its executor was told to stop"));
    assertTrue(r.b().takeLaunched().isEmpty() && r.a().takeLaunched().isEmpty(),
        "the partition still runs: it is not pending again");
    r.f().advanceMillis(2000);
    assertEquals(1, r.b().takeLaunched().size(), "it may be copied again");
    r.f().succeed(r.a(), r.slow());
    assertEquals(4, r.job().results.size());
    r.f().close();
  }

  @Test
  void nothingIsCopiedWhenSpeculationIsOff() {
    Run r = startWithOneStraggler(Map.of());
    r.f().advanceMillis(60_000);
    assertTrue(r.a().takeLaunched().isEmpty() && r.b().takeLaunched().isEmpty());
    r.f().succeed(r.a(), r.slow());
    assertEquals(4, r.job().results.size());
    assertTrue(r.a().receivedOf(KillTasks.class).isEmpty());
    r.f().close();
  }

  @Test
  void badSettingsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Speculation.from(Map.of(Speculation.QUANTILE, "1.5")));
    assertTrue(e.getMessage().contains(Speculation.QUANTILE), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Speculation.from(Map.of(Speculation.MULTIPLIER, "0.5")));
    List<String> ok = new ArrayList<>();
    ok.add(String.valueOf(Speculation.from(Map.of()).thresholdNanos(10_000_000_000L)));
    assertEquals(List.of("15000000000"), ok, "1.5 times the median by default");
  }
}
