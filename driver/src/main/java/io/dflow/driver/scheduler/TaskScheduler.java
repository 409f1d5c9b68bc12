package io.dflow.driver.scheduler;

import io.dflow.driver.JobFailedException;
import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.driver.backend.TaskEvents;
import io.dflow.driver.scheduler.SchedulerEvent.ExecutorAdded;
import io.dflow.driver.scheduler.SchedulerEvent.ExecutorLost;
import io.dflow.driver.scheduler.SchedulerEvent.Finished;
import io.dflow.driver.scheduler.SchedulerEvent.Stop;
import io.dflow.driver.scheduler.SchedulerEvent.SubmitStage;
import io.dflow.executor.protocol.ControlMessage.LaunchTask;
import io.dflow.executor.protocol.ControlMessage.TaskFinished;
import io.dflow.executor.protocol.TaskAttempt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands tasks to free executor slots and tracks their attempts. All of its state is touched by
 * one thread only, which consumes {@link SchedulerEvent}s in order; other threads just post.
 *
 * <pre>
 * task: pending --offer--> running --succeeded--> done
 *                             |--failed, attempts left--> pending
 *                             '--failed, none left--> stage failed (its other tasks are dropped)
 * </pre>
 *
 * Placement prefers an executor on a host that holds the task's input, else any free slot.
 * Delay scheduling (waiting a little for a local slot) plugs in at {@link #pickTask}.
 */
public final class TaskScheduler implements TaskEvents, AutoCloseable {
  private final BlockingQueue<SchedulerEvent> events = new LinkedBlockingQueue<>();
  private final Thread loop;

  // Scheduler-thread state.
  private final Map<String, ExecutorHandle> executors = new LinkedHashMap<>();
  private final Map<String, Integer> freeSlots = new HashMap<>();
  private final Deque<PendingTask> pending = new ArrayDeque<>();
  private final Map<TaskAttempt, Running> running = new HashMap<>();
  private final Map<StageRun, StageState> stages = new HashMap<>();

  public TaskScheduler() {
    loop = new Thread(this::runLoop, "dflow-scheduler");
    loop.setDaemon(true);
    loop.start();
  }

  public void addExecutor(ExecutorHandle executor) {
    events.add(new ExecutorAdded(executor));
  }

  /** Queues a stage's tasks; its {@link StageRun#outcome()} completes when all succeed or one fails for good. */
  public void submit(StageRun stage) {
    events.add(new SubmitStage(stage));
  }

  @Override
  public void taskFinished(TaskFinished finished) {
    events.add(new Finished(finished));
  }

  @Override
  public void executorLost(String executorId, String reason) {
    events.add(new ExecutorLost(executorId, reason));
  }

  @Override
  public void close() {
    events.add(new Stop());
    try {
      loop.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runLoop() {
    try {
      while (true) {
        SchedulerEvent event = events.take();
        if (event instanceof Stop) {
          failAll("the driver is shutting down");
          return;
        }
        handle(event);
        offerSlots();
      }
    } catch (InterruptedException e) {
      failAll("the scheduler was interrupted");
    } catch (RuntimeException e) {
      failAll("scheduler error: " + e);
      throw e;
    }
  }

  private void handle(SchedulerEvent event) {
    if (event instanceof ExecutorAdded added) {
      executors.put(added.executor().id(), added.executor());
      freeSlots.put(added.executor().id(), added.executor().slots());
    } else if (event instanceof SubmitStage submit) {
      StageRun stage = submit.stage();
      stages.put(stage, new StageState(stage));
      for (int i = 0; i < stage.tasks().size(); i++) {
        pending.add(new PendingTask(stage, i, 0));
      }
      if (stage.tasks().isEmpty()) {
        complete(stage);
      }
    } else if (event instanceof Finished f) {
      onFinished(f.finished());
    } else if (event instanceof ExecutorLost lost) {
      onExecutorLost(lost.executorId(), lost.reason());
    }
  }

  private void offerSlots() {
    for (ExecutorHandle executor : executors.values()) {
      int free = freeSlots.getOrDefault(executor.id(), 0);
      while (free > 0 && !pending.isEmpty()) {
        PendingTask task = pickTask(executor);
        LaunchTask template = task.stage().tasks().get(task.index());
        TaskAttempt a = template.attempt();
        TaskAttempt attempt = new TaskAttempt(a.appId(), a.job(), a.stage(), a.index(), task.attempt());
        running.put(attempt, new Running(task, executor.id()));
        free--;
        freeSlots.put(executor.id(), free);
        executor.launch(new LaunchTask(attempt, template.jarSha256(), template.conf(),
            template.task(), template.mapOutputs()));
      }
    }
  }

  /** The first pending task whose input lives on the executor's host, else the oldest one. */
  private PendingTask pickTask(ExecutorHandle executor) {
    for (Iterator<PendingTask> it = pending.iterator(); it.hasNext(); ) {
      PendingTask task = it.next();
      if (task.stage().preferredHosts().get(task.index()).contains(executor.host())) {
        it.remove();
        return task;
      }
    }
    return pending.poll();
  }

  private void onFinished(TaskFinished finished) {
    Running run = running.remove(finished.attempt());
    if (run == null) {
      return; // written off already: its executor was lost
    }
    freeSlots.merge(run.executorId(), 1, Integer::sum);
    StageState state = stages.get(run.task().stage());
    if (state == null) {
      return;
    }
    if (finished.succeeded()) {
      state.succeed(run.task().index(), new StageRun.Placed(finished, run.executorId()));
      if (state.isDone()) {
        complete(run.task().stage());
      }
    } else {
      retryOrFail(run.task(), finished.error());
    }
  }

  private void onExecutorLost(String executorId, String reason) {
    executors.remove(executorId);
    freeSlots.remove(executorId);
    List<Running> lost = new ArrayList<>();
    running.entrySet().removeIf(e -> {
      if (e.getValue().executorId().equals(executorId)) {
        lost.add(e.getValue());
        return true;
      }
      return false;
    });
    for (Running run : lost) {
      retryOrFail(run.task(), "executor " + executorId + " lost: " + reason);
    }
    if (executors.isEmpty()) {
      failAll("no executors left (last lost: " + executorId + ": " + reason + ")");
    }
  }

  private void retryOrFail(PendingTask task, String error) {
    StageRun stage = task.stage();
    if (!stages.containsKey(stage)) {
      return;
    }
    if (task.attempt() + 1 < stage.maxAttempts()) {
      pending.addFirst(new PendingTask(stage, task.index(), task.attempt() + 1));
      return;
    }
    fail(stage, "task failed: " + stage.name() + " task " + task.index() + " (attempt "
        + (task.attempt() + 1) + " of " + stage.maxAttempts() + "): " + error);
  }

  private void complete(StageRun stage) {
    StageState state = stages.remove(stage);
    stage.outcome().complete(state.results());
  }

  private void fail(StageRun stage, String message) {
    stages.remove(stage);
    pending.removeIf(t -> t.stage() == stage);
    // Its running attempts keep their slots until they report; their results are then dropped.
    stage.outcome().completeExceptionally(new JobFailedException(message));
  }

  private void failAll(String message) {
    for (StageRun stage : new ArrayList<>(stages.keySet())) {
      fail(stage, message);
    }
  }

  private record PendingTask(StageRun stage, int index, int attempt) {}

  private record Running(PendingTask task, String executorId) {}

  /** Successful attempts of one stage so far. */
  private static final class StageState {
    private final StageRun stage;
    private final StageRun.Placed[] results;
    private int done;

    StageState(StageRun stage) {
      this.stage = stage;
      this.results = new StageRun.Placed[stage.tasks().size()];
    }

    void succeed(int index, StageRun.Placed placed) {
      if (results[index] == null) {
        results[index] = placed;
        done++;
        stage.progress().onProgress(done, results.length);
      }
    }

    boolean isDone() {
      return done == results.length;
    }

    List<StageRun.Placed> results() {
      return List.of(results);
    }
  }
}
