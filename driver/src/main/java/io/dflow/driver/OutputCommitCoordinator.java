package io.dflow.driver;

import io.dflow.driver.scheduler.ListenerEvent;
import io.dflow.driver.scheduler.SchedulerListener;
import io.dflow.executor.protocol.TaskEndReason;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which attempt of each partition of an output job commits: the first to ask holds the
 * right, every other attempt of that partition is denied (it discards its output and ends as
 * killed), until the holder fails, when the right is free for the next to ask. So a straggler
 * and its speculative copy never both commit, whatever the file system's rename does.
 *
 * <p>Threading: asked from the transport's threads (and in-process from slot threads); told of
 * task ends on the listener bus's thread. A retry that asks before the bus has delivered its
 * holder's failure is denied and asked again when it is retried.
 */
final class OutputCommitCoordinator implements SchedulerListener {
  /** The holder of each partition's right, by {@code job/partition}. */
  private final Map<String, Long> holders = new ConcurrentHashMap<>();
  /** The partition each holder holds, by task id, while it runs. */
  private final Map<Long, String> held = new ConcurrentHashMap<>();

  /** Whether attempt {@code taskId} of {@code partition} of output job {@code job} may commit. */
  boolean mayCommit(String job, int partition, long taskId) {
    String key = job + "/" + partition;
    Long holder = holders.putIfAbsent(key, taskId);
    if (holder == null) {
      held.put(taskId, key);
      return true;
    }
    return holder == taskId;
  }

  @Override
  public void onEvent(ListenerEvent event) {
    if (event instanceof ListenerEvent.TaskEnd end) {
      long taskId = end.ended().attempt().taskId();
      String key = held.remove(taskId);
      if (key != null && !(end.ended().reason() instanceof TaskEndReason.Success)) {
        holders.remove(key, taskId);
      }
    }
  }

  /** Forgets output job {@code job}: it committed or aborted. */
  void jobEnded(String job) {
    holders.keySet().removeIf(key -> key.startsWith(job + "/"));
  }
}
