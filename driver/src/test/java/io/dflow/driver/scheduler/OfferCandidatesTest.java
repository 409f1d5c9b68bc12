package io.dflow.driver.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.plan.Action;
import io.dflow.api.plan.InputFile;
import io.dflow.api.plan.InputFile.BlockInfo;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An offer looks only at executors that may take something new, so the events that let a
 * waiting slot take a task it could not take before must make the next offer look at it: here,
 * an executor leaving takes a level away from a task set.
 */
class OfferCandidatesTest {
  private static final long BLOCK = 128L << 20;
  /** h2 is alone in /r2; every other host is in /r1. */
  private static final Topology RACKS = host -> host.equals("h2") ? "/r2" : "/r1";

  private SchedulerFixture f;

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aSlotWaitingForALevelNoExecutorServesAnyMoreTakesItsTaskAtOnce() {
    Map<String, List<InputFile>> files = Map.of("/data", List.of(new InputFile("/data", 2 * BLOCK, List.of(
        new BlockInfo(0, BLOCK, List.of("h1")), new BlockInfo(BLOCK, BLOCK, List.of("h9"))))));
    f = new SchedulerFixture(Map.of("dflow.locality.wait", "3000"), files, RACKS);
    FakeExecutor a = f.executor("a", "h1", 1);
    FakeExecutor b = f.executor("b", "h2", 1);
    f.submit(f.ctx.textFile("/data"), new Action.Count());
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
}
