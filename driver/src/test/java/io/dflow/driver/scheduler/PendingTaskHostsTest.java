package io.dflow.driver.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dflow.api.plan.Action;
import io.dflow.api.plan.InputFile;
import io.dflow.api.plan.InputFile.BlockInfo;
import io.dflow.executor.protocol.ExecutorId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a backend that asks a cluster manager for executors is told about where waiting tasks
 * would rather run: one count per pending task and host of its split, launched tasks not
 * counted, a lost executor's tasks counted again.
 */
class PendingTaskHostsTest {
  private static final long BLOCK = 128L << 20;
  private SchedulerFixture f;

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void countsThePendingTasksOfEachHost() {
    // four one-block splits: two on h1, one on h2, one with replicas on h2 and h3
    List<BlockInfo> blocks = List.of(new BlockInfo(0, BLOCK, List.of("h1")), new BlockInfo(BLOCK, BLOCK, List.of("h1")),
        new BlockInfo(2 * BLOCK, BLOCK, List.of("h2")), new BlockInfo(3 * BLOCK, BLOCK, List.of("h2", "h3")));
    f = new SchedulerFixture(4, 4, Map.of("/data", List.of(new InputFile("/data", 4 * BLOCK, blocks))));
    f.submit(f.ctx.textFile("/data"), new Action.Count());
    assertEquals(Map.of("h1", 2, "h2", 2, "h3", 1), f.dag.pendingTaskHosts());
    FakeExecutor e1 = f.executor("e1", "h1", 1);
    assertEquals(1, e1.takeLaunched().size());
    assertEquals(Map.of("h1", 1, "h2", 2, "h3", 1), f.dag.pendingTaskHosts(), "the launched task is not waiting");
    f.dag.handle(new SchedulerEvent.ExecutorLost(new ExecutorId("e1"), "gone", true));
    f.dag.afterEvents();
    assertEquals(Map.of("h1", 2, "h2", 2, "h3", 1), f.dag.pendingTaskHosts(), "the lost executor's task waits again");
  }
}
