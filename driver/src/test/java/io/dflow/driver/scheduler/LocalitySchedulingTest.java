package io.dflow.driver.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.InputFile;
import io.dflow.api.plan.InputFile.BlockInfo;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Placement by locality in simulated time: a task goes to its data's host first; a free slot
 * with no local task waits {@code dflow.locality.wait}, then takes a task from its rack, then
 * any; the wait is the slot's own, so a stage whose data lives on one host of many does not keep
 * the other slots idle however often that host launches (SPARK-18886); tasks with no
 * preference, and a wait of 0, never wait.
 */
class LocalitySchedulingTest {
  private static final long BLOCK = 128L << 20;
  /** h1 and h3 share rack /r1; h2 is alone in /r2. */
  private static final Topology RACKS = host -> host.equals("h2") ? "/r2" : "/r1";

  private SchedulerFixture f;

  @AfterEach
  void close() {
    f.close();
  }

  /** A file of one block per host given, each block's one replica on that host. */
  private static Map<String, List<InputFile>> file(String... blockHosts) {
    List<BlockInfo> blocks = new ArrayList<>();
    for (int i = 0; i < blockHosts.length; i++) {
      blocks.add(new BlockInfo(i * BLOCK, BLOCK, List.of(blockHosts[i])));
    }
    return Map.of("/data", List.of(new InputFile("/data", blockHosts.length * BLOCK, blocks)));
  }

  private SchedulerFixture.JobRun countLines() {
    return f.submit(f.ctx.textFile("/data"), new Action.Count());
  }

  private List<Locality> levels() {
    return f.events(ListenerEvent.TaskEnd.class).stream().map(ListenerEvent.TaskEnd::level).toList();
  }

  @Test
  void eachTaskGoesToAnExecutorOnItsDataHost() {
    f = new SchedulerFixture(Map.of(), file("h1", "h2", "h1", "h2"), RACKS);
    FakeExecutor e1 = f.executor("e1", "h1", 2);
    FakeExecutor e2 = f.executor("e2", "h2", 2);
    SchedulerFixture.JobRun job = countLines();
    List<TaskLaunch> on1 = e1.takeLaunched();
    List<TaskLaunch> on2 = e2.takeLaunched();
    assertEquals(List.of(0, 2), on1.stream().map(t -> t.attempt().partition()).sorted().toList());
    assertEquals(List.of(1, 3), on2.stream().map(t -> t.attempt().partition()).sorted().toList());
    f.succeedAll(e1, on1);
    f.succeedAll(e2, on2);
    assertTrue(job.outcome.isDone());
    assertEquals(List.of(Locality.NODE_LOCAL), levels().stream().distinct().toList());
  }

  @Test
  void aSplitHostGivenAsAnAddressMatchesTheExecutorThere() {
    FakeExecutor probe = new FakeExecutor("e1", "h1", 1);
    f = new SchedulerFixture(Map.of("dflow.locality.wait", "60000"), file(probe.address(), "h2"), RACKS);
    FakeExecutor e1 = f.executor("e1", "h1", 1);
    FakeExecutor e2 = f.executor("e2", "h2", 1);
    countLines();
    assertEquals(List.of(0), e1.takeLaunched().stream().map(t -> t.attempt().partition()).toList(),
        "the block on " + e1.address() + " is on h1's executor");
    assertEquals(List.of(1), e2.takeLaunched().stream().map(t -> t.attempt().partition()).toList());
  }

  @Test
  void aSlotWithNoLocalTaskWaitsThenTakesFromItsRackThenAny() {
    f = new SchedulerFixture(Map.of("dflow.locality.wait", "3000"), file("h1", "h1", "h1"), RACKS);
    FakeExecutor e1 = f.executor("e1", "h1", 1);
    FakeExecutor e3 = f.executor("e3", "h3", 1);
    FakeExecutor e2 = f.executor("e2", "h2", 1);
    countLines();
    assertEquals(1, e1.takeLaunched().size());
    assertTrue(e3.takeLaunched().isEmpty() && e2.takeLaunched().isEmpty(), "both wait for a local task");
    assertEquals(3_000_000_000L, f.dag.nextWakeNanos(), "the scheduler wakes when the first wait ends");
    f.advanceMillis(2999);
    assertTrue(e3.takeLaunched().isEmpty());
    f.advanceMillis(1);
    List<TaskLaunch> rackLocal = e3.takeLaunched();
    assertEquals(1, rackLocal.size(), "h3 shares h1's rack: after 3 s it takes a task from there");
    assertTrue(e2.takeLaunched().isEmpty(), "h2 is in another rack: it waits at that level too");
    f.advanceMillis(3000);
    List<TaskLaunch> anywhere = e2.takeLaunched();
    assertEquals(1, anywhere.size());
    f.succeed(e3, rackLocal.get(0));
    f.succeed(e2, anywhere.get(0));
    assertEquals(List.of(Locality.RACK_LOCAL, Locality.ANY), levels());
  }

  @Test
  void launchesOnTheDataHostDoNotRestartTheOtherSlotsWaits() {
    // SPARK-18886: every block on h1; with a wait reset by each launch there, h2 would idle
    // until h1 had run them all, one a second
    String[] blocks = new String[12];
    java.util.Arrays.fill(blocks, "h1");
    f = new SchedulerFixture(Map.of("dflow.locality.wait", "3000", "dflow.locality.wait.rack", "0"), file(blocks),
        RACKS);
    FakeExecutor e1 = f.executor("e1", "h1", 1);
    FakeExecutor e2 = f.executor("e2", "h2", 1);
    SchedulerFixture.JobRun job = countLines();
    List<TaskLaunch> running1 = e1.takeLaunched();
    int onH2 = 0;
    for (int second = 1; second <= 3; second++) {
      f.advanceMillis(999);
      f.succeed(e1, running1.get(0)); // a local launch on h1 every second
      running1 = e1.takeLaunched();
      f.advanceMillis(1);
      onH2 += e2.takeLaunched().size();
    }
    assertEquals(1, onH2, "h2's slot, free since 0 s, took a task once its own 3 s had passed");
  }

  @Test
  void aSlotThatFoundNothingBetterDoesNotWaitAgainForItsNextTask() {
    String[] blocks = new String[6];
    java.util.Arrays.fill(blocks, "h1");
    f = new SchedulerFixture(Map.of("dflow.locality.wait", "3000", "dflow.locality.wait.rack", "0"), file(blocks),
        RACKS);
    f.executor("e1", "h1", 1);
    FakeExecutor e2 = f.executor("e2", "h2", 1);
    countLines();
    f.advanceMillis(3000);
    List<TaskLaunch> first = e2.takeLaunched();
    assertEquals(1, first.size(), "after its 3 s wait, a task from anywhere");
    f.succeed(e2, first.get(0));
    assertEquals(1, e2.takeLaunched().size(), "the next one at once: it waited for a local task already");
  }

  @Test
  void noWaitTakesTheBestTaskThereIsAtOnce() {
    f = new SchedulerFixture(Map.of("dflow.locality.wait", "0"), file("h1", "h1"), RACKS);
    FakeExecutor e1 = f.executor("e1", "h1", 1);
    FakeExecutor e2 = f.executor("e2", "h2", 1);
    countLines();
    assertEquals(1, e1.takeLaunched().size());
    assertEquals(1, e2.takeLaunched().size());
    assertEquals(Long.MAX_VALUE, f.dag.nextWakeNanos());
  }

  @Test
  void noSlotWaitsForHostsNoExecutorRunsOn() {
    f = new SchedulerFixture(Map.of("dflow.locality.wait", "60000"), file("h1", "h2"), Topology.FLAT);
    FakeExecutor e8 = f.executor("e8", "h8", 1);
    FakeExecutor e9 = f.executor("e9", "h9", 1);
    countLines();
    assertEquals(1, e8.takeLaunched().size(), "no executor runs on h1 or h2: waiting for one would be waiting forever");
    assertEquals(1, e9.takeLaunched().size());
  }

  @Test
  void tasksWithNoPreferenceNeverWait() {
    f = new SchedulerFixture(Map.of("dflow.locality.wait", "60000"), Map.of(), RACKS);
    FakeExecutor e1 = f.executor("e1", "h1", 2);
    FakeExecutor e2 = f.executor("e2", "h2", 2);
    f.submit(f.ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 4), new Action.Count());
    assertEquals(2, e1.takeLaunched().size());
    assertEquals(2, e2.takeLaunched().size());
  }

  @Test
  void aSlotWaitingForALevelNoExecutorServesAnyMoreTakesItsTaskAtOnce() {
    // an offer looks only at executors that may take something new: an executor leaving, which
    // takes a level away from the task set, must make the next offer look at the waiting slot
    f = new SchedulerFixture(Map.of("dflow.locality.wait", "3000"), file("h1", "h9"), RACKS);
    FakeExecutor a = f.executor("a", "h1", 1);
    FakeExecutor b = f.executor("b", "h2", 1);
    countLines();
    List<TaskLaunch> onA = a.takeLaunched();
    assertEquals(List.of(0), onA.stream().map(t -> t.attempt().partition()).toList());
    assertTrue(b.takeLaunched().isEmpty(), "h9's block waits for a slot on h1's host or rack");
    f.clock.advanceMillis(1000);
    f.succeed(a, onA.get(0));
    assertTrue(a.takeLaunched().isEmpty(), "a waits 3 s before it takes h9's block from its rack");
    f.clock.advanceMillis(500);
    f.dag.handle(new SchedulerEvent.ExecutorLost(a.id(), "decommissioned", false));
    f.dag.afterEvents();
    List<TaskLaunch> onB = b.takeLaunched();
    assertEquals(List.of(1), onB.stream().map(t -> t.attempt().partition()).toList(),
        "no executor is left on h1 or in /r1: b, free for 1.5 s, has nothing better to wait for");
    f.succeed(b, onB.get(0));
    assertEquals(List.of(Locality.NODE_LOCAL, Locality.ANY),
        f.events(ListenerEvent.TaskEnd.class).stream().map(ListenerEvent.TaskEnd::level).toList());
  }

  @Test
  void aSlotDoesNotWaitForTasksTheirDataHostsCouldNotStartWithinTheWait() {
    // 12 blocks on h1, whose one slot starts 3 one-second tasks in a 3 s wait: after the first
    // success shows how long tasks run, h2's slot sees that waiting cannot pay off
    String[] blocks = new String[12];
    java.util.Arrays.fill(blocks, "h1");
    f = new SchedulerFixture(Map.of("dflow.locality.wait", "3000"), file(blocks), RACKS);
    f.runMillis = 1000;
    FakeExecutor e1 = f.executor("e1", "h1", 1);
    FakeExecutor e2 = f.executor("e2", "h2", 1);
    countLines();
    List<TaskLaunch> running1 = e1.takeLaunched();
    assertTrue(e2.takeLaunched().isEmpty(), "nothing is known of the tasks' length yet: h2 waits");
    f.advanceMillis(1000);
    f.succeed(e1, running1.get(0));
    assertEquals(1, e1.takeLaunched().size());
    assertEquals(1, e2.takeLaunched().size(), "10 tasks wait for the 3 h1 can start in a wait: h2 takes one now");
    assertEquals(List.of(Locality.NODE_LOCAL), levels());
  }

  @Test
  void aSlotStillWaitsWhenTheDataHostsCanStartThePendingTasksWithinTheWait() {
    f = new SchedulerFixture(Map.of("dflow.locality.wait", "3000"), file("h1", "h1", "h1"), RACKS);
    f.runMillis = 1000;
    FakeExecutor e1 = f.executor("e1", "h1", 1);
    FakeExecutor e2 = f.executor("e2", "h2", 1);
    countLines();
    List<TaskLaunch> running1 = e1.takeLaunched();
    f.advanceMillis(1000);
    f.succeed(e1, running1.get(0));
    running1 = e1.takeLaunched();
    assertTrue(e2.takeLaunched().isEmpty(), "1 task waits, and h1 starts 3 in a wait: h2 leaves it to h1");
    f.advanceMillis(1000);
    f.succeed(e1, running1.get(0));
    f.succeedAll(e1, e1.takeLaunched());
    assertTrue(e2.takeLaunched().isEmpty());
    assertEquals(List.of(Locality.NODE_LOCAL), levels().stream().distinct().toList());
  }
}
