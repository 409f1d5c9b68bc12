package io.dflow.executor;

import io.dflow.executor.protocol.ControlMessage.StatusUpdate;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Collects the ends of task attempts and hands them on in batches: whatever ended while the
 * previous batch was being sent goes in the next one, so a stream of tiny tasks costs one
 * message per batch rather than one per task. Thread-safe; delivery runs on {@code sender}.
 */
final class StatusBatcher {
  private final ConcurrentLinkedQueue<TaskEnded> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ExecutorService sender;
  private final Consumer<StatusUpdate> out;

  StatusBatcher(ExecutorService sender, Consumer<StatusUpdate> out) {
    this.sender = sender;
    this.out = out;
  }

  void add(TaskEnded ended) {
    pending.add(ended);
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
    if (!batch.isEmpty()) {
      out.accept(new StatusUpdate(batch));
    }
  }
}
