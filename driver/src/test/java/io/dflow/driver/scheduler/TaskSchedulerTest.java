package io.dflow.driver.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.driver.JobFailedException;
import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.executor.protocol.ControlMessage.LaunchTask;
import io.dflow.executor.protocol.ControlMessage.TaskFinished;
import io.dflow.executor.protocol.TaskAttempt;
import io.dflow.executor.protocol.TaskMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler's rules with executors that only record what they are sent. */
class TaskSchedulerTest {
  private final TaskScheduler scheduler = new TaskScheduler();

  /** An executor that queues the tasks it gets, for the test to finish as it likes. */
  private record FakeExecutor(String id, String host, int slots, BlockingQueue<LaunchTask> launched)
      implements ExecutorHandle {
    FakeExecutor(String id, String host, int slots) {
      this(id, host, slots, new LinkedBlockingQueue<>());
    }

    @Override
    public String address() {
      return "127.0.0.1";
    }

    @Override
    public int port() {
      return 0;
    }

    @Override
    public void launch(LaunchTask task) {
      launched.add(task);
    }

    LaunchTask next() throws InterruptedException {
      LaunchTask task = launched.poll(5, TimeUnit.SECONDS);
      if (task == null) {
        throw new AssertionError(id + " was sent no task");
      }
      return task;
    }
  }

  @AfterEach
  void stop() {
    scheduler.close();
  }

  private static StageRun stage(int tasks, int maxAttempts, List<List<String>> hosts) {
    List<LaunchTask> launches = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      launches.add(new LaunchTask(new TaskAttempt("app", 0, 0, i, 0), null, Map.of(), new byte[0], List.of()));
    }
    return new StageRun("job 0 stage 0", launches, hosts, maxAttempts, (done, total) -> { },
        new CompletableFuture<>());
  }

  private static List<List<String>> noHosts(int n) {
    List<List<String>> hosts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      hosts.add(List.of());
    }
    return hosts;
  }

  private void finish(LaunchTask task, String executor, boolean ok) {
    scheduler.taskFinished(new TaskFinished(task.attempt(), executor, ok, null, TaskMetrics.NONE,
        ok ? null : "boom"));
  }

  @Test
  void neverRunsMoreTasksThanSlotsAndCompletesInTaskOrder() throws Exception {
    FakeExecutor e = new FakeExecutor("e1", "h1", 2);
    scheduler.addExecutor(e);
    StageRun run = stage(5, 1, noHosts(5));
    scheduler.submit(run);
    LaunchTask a = e.next();
    LaunchTask b = e.next();
    assertEquals(null, e.launched().poll(200, TimeUnit.MILLISECONDS), "a third task went to a full executor");
    finish(b, "e1", true);
    LaunchTask c = e.next();
    finish(a, "e1", true);
    finish(c, "e1", true);
    LaunchTask d = e.next();
    LaunchTask f = e.next();
    finish(f, "e1", true);
    finish(d, "e1", true);
    List<StageRun.Placed> placed = run.outcome().get(5, TimeUnit.SECONDS);
    for (int i = 0; i < 5; i++) {
      assertEquals(i, placed.get(i).finished().attempt().index());
    }
  }

  @Test
  void aFailedAttemptIsRetriedUntilAttemptsRunOut() throws Exception {
    FakeExecutor e = new FakeExecutor("e1", "h1", 1);
    scheduler.addExecutor(e);
    StageRun run = stage(1, 2, noHosts(1));
    scheduler.submit(run);
    LaunchTask first = e.next();
    assertEquals(0, first.attempt().attempt());
    finish(first, "e1", false);
    LaunchTask second = e.next();
    assertEquals(1, second.attempt().attempt());
    finish(second, "e1", false);
    ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> run.outcome().get(5, TimeUnit.SECONDS));
    assertInstanceOf(JobFailedException.class, failed.getCause());
    assertTrue(failed.getCause().getMessage().startsWith("task failed: job 0 stage 0 task 0 (attempt 2 of 2): boom"),
        failed.getCause().getMessage());
  }

  @Test
  void prefersAnExecutorOnTheHostThatHoldsTheInput() throws Exception {
    FakeExecutor onA = new FakeExecutor("e1", "host-a", 1);
    FakeExecutor onB = new FakeExecutor("e2", "host-b", 1);
    scheduler.addExecutor(onA);
    scheduler.addExecutor(onB);
    StageRun run = stage(2, 1, List.of(List.of("host-b"), List.of("host-a")));
    scheduler.submit(run);
    assertEquals(1, onA.next().attempt().index());
    assertEquals(0, onB.next().attempt().index());
  }

  @Test
  void tasksOfALostExecutorRunElsewhere() throws Exception {
    FakeExecutor doomed = new FakeExecutor("e1", "h1", 1);
    scheduler.addExecutor(doomed);
    StageRun run = stage(1, 2, noHosts(1));
    scheduler.submit(run);
    LaunchTask lost = doomed.next();
    FakeExecutor survivor = new FakeExecutor("e2", "h2", 1);
    scheduler.addExecutor(survivor);
    scheduler.executorLost("e1", "process exited");
    LaunchTask retry = survivor.next();
    assertEquals(lost.attempt().index(), retry.attempt().index());
    assertEquals(1, retry.attempt().attempt());
    finish(lost, "e1", true); // a late report from the lost executor is ignored
    finish(retry, "e2", true);
    assertEquals("e2", run.outcome().get(5, TimeUnit.SECONDS).get(0).executorId());
  }

  @Test
  void anEmptyStageCompletesAtOnce() throws Exception {
    scheduler.addExecutor(new FakeExecutor("e1", "h1", 1));
    StageRun run = stage(0, 1, List.of());
    scheduler.submit(run);
    assertEquals(List.of(), run.outcome().get(5, TimeUnit.SECONDS));
  }
}
