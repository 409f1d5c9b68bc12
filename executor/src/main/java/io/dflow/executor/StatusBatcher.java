package io.dflow.executor;

import io.dflow.executor.protocol.ControlMessage.StatusUpdate;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskStatus;
import io.dflow.executor.protocol.TaskAttempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Collects the ends of task attempts, and the status messages of running ones, and hands them on
 * in batches: whatever ended while the previous batch was being sent goes in the next one, so a
 * stream of tiny tasks costs one message per batch rather than one per task, and a task that
 * changes its status often sends only its latest. Thread-safe; delivery runs on {@code sender}.
 */
final class StatusBatcher {
  private final ConcurrentLinkedQueue<TaskEnded> pending = new ConcurrentLinkedQueue<>();
  /** The latest status of each running attempt not sent yet: a newer one replaces it. */
  private final Map<TaskAttempt, String> statuses = new ConcurrentHashMap<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ExecutorService sender;
  private final Consumer<StatusUpdate> out;

  StatusBatcher(ExecutorService sender, Consumer<StatusUpdate> out) {
    this.sender = sender;
    this.out = out;
  }

  void add(TaskEnded ended) {
    pending.add(ended);
    schedule();
  }

  /** {@code attempt} says it is doing {@code message}. */
  void status(TaskAttempt attempt, String message) {
    statuses.put(attempt, message);
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        sender.execute(this::flush);
      } catch (RejectedExecutionException e) {
        // the executor is stopping: nobody is left to tell
      }
    }
  }

  private void flush() {
    scheduled.set(false);
    List<TaskEnded> batch = new ArrayList<>();
    for (TaskEnded e; (e = pending.poll()) != null; ) {
      batch.add(e);
    }
    List<TaskStatus> running = new ArrayList<>();
    for (TaskAttempt attempt : List.copyOf(statuses.keySet())) {
      String message = statuses.remove(attempt);
      if (message != null) {
        running.add(new TaskStatus(attempt, message));
      }
    }
    if (!batch.isEmpty() || !running.isEmpty()) {
      out.accept(new StatusUpdate(batch, running));
    }
  }
}
