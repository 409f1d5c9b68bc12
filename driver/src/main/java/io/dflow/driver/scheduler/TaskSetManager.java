package io.dflow.driver.scheduler;

import io.dflow.executor.protocol.CachedBlockLocation;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.StageAttemptId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tasks of one stage attempt: which partitions wait for a slot (indexed by the executors and
 * hosts they prefer), which attempts run where, how often each partition failed. It answers a
 * free slot with its best task for that slot: one whose cached input is on that executor, then
 * one whose input is on that host, then any. Once its tasks show themselves short, executors may
 * be sent one task ahead of their free slots ({@link #tasksAreShort}).
 *
 * <pre>
 * partition: pending --offer--> running --success--> done
 *                                  |--failure, attempts left--> pending
 *                                  '--failure, none left--> the stage attempt aborts
 * task set:  active --every partition done--> finished
 *               '--fetch failure or abort--> zombie (launches nothing more; running attempts may still report)
 *
 * gang (an MPI stage): every partition pending --all launched at once--> running
 *          --all succeed--> finished
 *          '--any fails--> the rest are killed, all pending again (one failure of the gang)
 *                          '--failures reach dflow.mpi.maxAttempts--> the stage attempt aborts
 * </pre>
 *
 * <p>Threading: used on the scheduler's event loop only.
 */
final class TaskSetManager {
  /** One partition to run: its serialised source input and where it would rather run. */
  record Task(int partition, byte[] inputs, Set<ExecutorId> preferredExecutors, List<String> preferredHosts,
      List<CachedBlockLocation> cached) {}

  /** A running attempt. */
  record Running(int index, int attempt, ExecutorId executor) {}

  /** What became of a failed attempt. */
  enum Outcome { RETRY, ABORT, IGNORED }

  final StageAttemptId id;
  final ScheduledStage stage;
  final RegisterStage registration;
  /** The job whose result stage, or whose first needed map stage, this is: orders task sets. */
  final int priority;
  /** When it was submitted, on the scheduler's clock. */
  final long submittedNanos;
  private final List<Task> tasks;
  private final int maxAttempts;
  private final boolean[] pending;
  private final boolean[] done;
  private final int[] attempts;
  private final int[] failures;
  private final Map<ExecutorId, Deque<Integer>> byExecutor = new HashMap<>();
  private final Map<String, Deque<Integer>> byHost = new HashMap<>();
  private final Deque<Integer> any = new ArrayDeque<>();
  private final Map<Long, Running> running = new HashMap<>();
  private final Map<Integer, ExecutorId> succeededOn = new HashMap<>();
  /** Whether the tasks are the ranks of one MPI gang, launched together and retried together. */
  final boolean gang;
  /** Gangs: how many times the gang failed, and which launch failed last (a launch counts once). */
  private int gangFailures;
  private int gangLaunches;
  private int gangLaunchFailed = -1;
  private int doneCount;
  private long doneRunMillis;
  private boolean zombie;
  /** Successes needed before a task set's tasks count as short. */
  static final int SHORT_AFTER = 4;
  /** The mean run time below which tasks are short: a round trip to the driver is a large part of them. */
  static final double SHORT_MILLIS = 5;

  TaskSetManager(StageAttemptId id, ScheduledStage stage, RegisterStage registration, List<Task> tasks,
      int maxAttempts, int priority, long submittedNanos, boolean gang) {
    this.id = id;
    this.gang = gang;
    this.submittedNanos = submittedNanos;
    this.stage = stage;
    this.registration = registration;
    this.tasks = List.copyOf(tasks);
    this.maxAttempts = maxAttempts;
    this.priority = priority;
    int n = tasks.size();
    this.pending = new boolean[n];
    this.done = new boolean[n];
    this.attempts = new int[n];
    this.failures = new int[n];
    for (int i = 0; i < n; i++) {
      enqueue(i);
    }
  }

  int size() {
    return tasks.size();
  }

  Task task(int index) {
    return tasks.get(index);
  }

  boolean isZombie() {
    return zombie;
  }

  /** Launches nothing more; attempts already running may still report. */
  void makeZombie() {
    zombie = true;
  }

  boolean isFinished() {
    return doneCount == tasks.size();
  }

  private void enqueue(int index) {
    pending[index] = true;
    Task t = tasks.get(index);
    for (ExecutorId e : t.preferredExecutors()) {
      byExecutor.computeIfAbsent(e, k -> new ArrayDeque<>()).add(index);
    }
    for (String h : t.preferredHosts()) {
      byHost.computeIfAbsent(h, k -> new ArrayDeque<>()).add(index);
    }
    any.add(index);
  }

  /**
   * The best pending task for a free slot of {@code executor} on {@code host}, marked as running
   * as attempt {@code taskId}; or -1 when none is pending.
   */
  int offer(ExecutorId executor, String host, long taskId) {
    if (zombie) {
      return -1;
    }
    int index = poll(byExecutor.get(executor));
    if (index < 0) {
      index = poll(byHost.get(host));
    }
    if (index < 0) {
      index = poll(any);
    }
    if (index < 0) {
      return -1;
    }
    pending[index] = false;
    running.put(taskId, new Running(index, attempts[index]++, executor));
    return index;
  }

  /** A gang whose every partition waits for a slot: it may be launched, all at once. */
  boolean gangReady() {
    if (!gang || zombie || !running.isEmpty()) {
      return false;
    }
    for (boolean p : pending) {
      if (!p) {
        return false;
      }
    }
    return true;
  }

  /** A gang was launched: the failures of its attempts count once between here and the next launch. */
  void gangLaunched() {
    gangLaunches++;
  }

  /** The attempt number the last {@link #offer} gave {@code taskId}. */
  Running running(long taskId) {
    return running.get(taskId);
  }

  /** Takes the first still-pending index off {@code queue} (entries of launched tasks are dropped lazily). */
  private int poll(Deque<Integer> queue) {
    if (queue == null) {
      return -1;
    }
    while (!queue.isEmpty()) {
      int i = queue.poll();
      if (pending[i]) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Whether this set's tasks have shown themselves short: then an executor may be sent one more
   * than it has free slots, to start when its running one ends instead of after a round trip.
   */
  boolean tasksAreShort() {
    return doneCount >= SHORT_AFTER && doneRunMillis < SHORT_MILLIS * doneCount;
  }

  /**
   * Records a success that ran for {@code runMillis}; returns its partition index if it is the
   * first for that partition, else -1.
   */
  int succeeded(long taskId, long runMillis) {
    Running r = running.remove(taskId);
    if (r == null || done[r.index()]) {
      return -1;
    }
    doneRunMillis += runMillis;
    done[r.index()] = true;
    pending[r.index()] = false;
    succeededOn.put(r.index(), r.executor());
    doneCount++;
    return r.index();
  }

  /**
   * Records a failed attempt. With {@code counts}, it uses up one of the partition's
   * {@code maxAttempts}; when they are gone the task set aborts.
   */
  Outcome failed(long taskId, boolean counts) {
    Running r = running.remove(taskId);
    if (r == null || done[r.index()]) {
      return Outcome.IGNORED;
    }
    if (gang) {
      if (zombie) {
        return Outcome.IGNORED; // the gang gave up already: its other ranks' ends change nothing
      }
      if (counts && gangLaunchFailed != gangLaunches) {
        gangLaunchFailed = gangLaunches;
        gangFailures++;
      }
      if (gangFailures >= maxAttempts) {
        zombie = true;
        return Outcome.ABORT;
      }
    } else if (counts) {
      failures[r.index()]++;
    }
    if (!gang && failures[r.index()] >= maxAttempts) {
      zombie = true;
      return Outcome.ABORT;
    }
    if (!zombie) {
      enqueue(r.index());
    }
    return Outcome.RETRY;
  }

  /**
   * Puts partitions that succeeded on {@code executor} back to pending (their map outputs died
   * with it), unless this task set is a zombie; returns how many.
   */
  int resubmitLostOutputs(ExecutorId executor) {
    if (zombie) {
      return 0;
    }
    int n = 0;
    for (Map.Entry<Integer, ExecutorId> e : new ArrayList<>(succeededOn.entrySet())) {
      if (e.getValue().equals(executor)) {
        int index = e.getKey();
        succeededOn.remove(index);
        done[index] = false;
        doneCount--;
        enqueue(index);
        n++;
      }
    }
    return n;
  }

  /** How many times this gang failed so far. */
  int gangFailures() {
    return gangFailures;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  int partitionOf(int index) {
    return tasks.get(index).partition();
  }
}
