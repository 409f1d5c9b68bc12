package io.dflow.driver.scheduler;

import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.ForgetStage;
import io.dflow.executor.protocol.ControlMessage.LaunchTasks;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.StageAttemptId;
import io.dflow.executor.protocol.TaskAttempt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches free executor slots to task sets: every round gives each executor with a free slot
 * the best task of the first task set (oldest job, then lowest stage) that has one for it, until
 * no slot or no task is left; then sends each executor its launches in one message, preceded by
 * the registration of any stage attempt it has not seen. Keeps which attempt runs where. An
 * executor whose slots are all busy may still be sent one task per slot ahead, from a task set
 * whose tasks are short: it then starts the next one as soon as one ends.
 *
 * <p>An MPI gang is launched whole or not at all: when there are free slots for every rank, they
 * are all reserved at once and handed to the {@link GangLauncher}. Reservations are granted in
 * task-set order: while the first gang that does not fit waits, the task sets behind it get no
 * slots, so the slots it waits for are not taken by later work and two gangs never each hold a
 * part of the cluster.
 *
 * <p>Threading: the scheduler's event loop only.
 */
final class TaskScheduler {
  private static final Comparator<TaskSetManager> ORDER =
      Comparator.<TaskSetManager>comparingInt(t -> t.priority).thenComparingInt(t -> t.id.stage().value());

  /** An executor and its free slots (negative: tasks queued ahead on it). */
  private static final class Slots {
    final ExecutorHandle handle;
    int free;
    final Set<StageAttemptId> registered = new HashSet<>();

    Slots(ExecutorHandle handle) {
      this.handle = handle;
      this.free = handle.slots();
    }
  }

  private final GangLauncher gangs;
  private final Map<ExecutorId, Slots> executors = new LinkedHashMap<>();
  private final List<TaskSetManager> taskSets = new ArrayList<>();
  private final Map<Long, Launched> attempts = new HashMap<>();
  private long nextTaskId;

  /** A running attempt: its task set and where it runs. */
  private record Launched(TaskSetManager taskSet, ExecutorId executor) {}

  TaskScheduler(GangLauncher gangs) {
    this.gangs = gangs;
  }

  void addExecutor(ExecutorHandle executor) {
    executors.put(executor.id(), new Slots(executor));
  }

  ExecutorHandle executor(ExecutorId id) {
    Slots s = executors.get(id);
    return s == null ? null : s.handle;
  }

  boolean hasExecutors() {
    return !executors.isEmpty();
  }

  /** The slots of every executor, busy or not. */
  int totalSlots() {
    return executors.values().stream().mapToInt(s -> s.handle.slots()).sum();
  }

  /** Forgets an executor; returns the attempts that were running on it. */
  List<Long> removeExecutor(ExecutorId id) {
    executors.remove(id);
    List<Long> lost = new ArrayList<>();
    attempts.forEach((taskId, launched) -> {
      if (launched.executor().equals(id)) {
        lost.add(taskId);
      }
    });
    return lost;
  }

  void submit(TaskSetManager taskSet) {
    taskSets.add(taskSet);
    taskSets.sort(ORDER);
  }

  /** Stops offering {@code taskSet}'s tasks and tells the executors that registered it to forget it. */
  void remove(TaskSetManager taskSet) {
    if (taskSets.remove(taskSet)) {
      for (Slots s : executors.values()) {
        if (s.registered.remove(taskSet.id)) {
          s.handle.send(new ForgetStage(taskSet.id));
        }
      }
    }
  }

  /** An attempt ended: frees its slot; returns its task set, or null if it is unknown (its executor was lost). */
  TaskSetManager ended(long taskId) {
    Launched launched = attempts.remove(taskId);
    if (launched == null) {
      return null;
    }
    Slots s = executors.get(launched.executor());
    if (s != null) {
      s.free++;
    }
    return launched.taskSet();
  }

  /** The task set of a running attempt (for an attempt lost with its executor), removing it. */
  TaskSetManager forget(long taskId) {
    Launched launched = attempts.remove(taskId);
    return launched == null ? null : launched.taskSet();
  }

  /** Fills free slots; returns how many attempts were launched. */
  int offer() {
    List<TaskSetManager> open = new ArrayList<>();
    int total = 0;
    for (TaskSetManager t : taskSets) {
      if (!t.gang) {
        open.add(t);
      } else if (t.gangReady()) {
        if (!launchGang(t)) {
          break; // the sets behind a waiting gang wait with it
        }
        total += t.size();
      }
    }
    Map<Slots, List<TaskLaunch>> batches = new LinkedHashMap<>();
    boolean launchedAny = true;
    while (launchedAny) {
      launchedAny = false;
      for (Slots s : executors.values()) {
        if (s.free <= -s.handle.slots()) {
          continue;
        }
        for (TaskSetManager t : open) {
          if (s.free <= 0 && !t.tasksAreShort()) {
            continue;
          }
          long taskId = nextTaskId;
          int index = t.offer(s.handle.id(), s.handle.host(), taskId);
          if (index < 0) {
            continue;
          }
          nextTaskId++;
          s.free--;
          attempts.put(taskId, new Launched(t, s.handle.id()));
          TaskSetManager.Task task = t.task(index);
          TaskAttempt attempt = new TaskAttempt(taskId, t.id, task.partition(), t.running(taskId).attempt());
          if (s.registered.add(t.id)) {
            batches.computeIfAbsent(s, k -> new ArrayList<>()); // keep executor order
            s.handle.send(t.registration);
          }
          // a first attempt reads its input from the stage's registration when that carries them all
          byte[] inputs = attempt.attempt() == 0 && t.registration.inputs() != null ? null : task.inputs();
          batches.computeIfAbsent(s, k -> new ArrayList<>()).add(new TaskLaunch(attempt, inputs, task.cached()));
          launchedAny = true;
          total++;
          break;
        }
      }
    }
    batches.forEach((s, launches) -> s.handle.send(new LaunchTasks(launches)));
    return total;
  }

  /** Reserves a free slot for every rank of {@code gang} and launches it, or returns false when there are too few. */
  private boolean launchGang(TaskSetManager gang) {
    int free = executors.values().stream().mapToInt(s -> Math.max(0, s.free)).sum();
    if (free < gang.size()) {
      return false;
    }
    TaskLaunch[] launches = new TaskLaunch[gang.size()];
    ExecutorHandle[] where = new ExecutorHandle[gang.size()];
    int launched = 0;
    for (Slots s : executors.values()) {
      while (s.free > 0 && launched < gang.size()) {
        long taskId = nextTaskId++;
        int index = gang.offer(s.handle.id(), s.handle.host(), taskId);
        s.free--;
        attempts.put(taskId, new Launched(gang, s.handle.id()));
        TaskSetManager.Task task = gang.task(index);
        int rank = task.partition(); // a gang's task set holds every partition: rank i computes partition i
        launches[rank] = new TaskLaunch(new TaskAttempt(taskId, gang.id, task.partition(),
            gang.running(taskId).attempt()), task.inputs(), List.of());
        where[rank] = s.handle;
        launched++;
      }
    }
    gang.gangLaunched();
    gangs.launch(new GangLauncher.Gang(gang.registration, List.of(launches), List.of(where)));
    return true;
  }

  /** Asks the executors running attempts of {@code taskSet} to kill them, saying {@code reason}. */
  void kill(TaskSetManager taskSet, String reason) {
    if (taskSet.gang) {
      gangs.kill(taskSet.id, reason);
      return;
    }
    Map<ExecutorId, List<TaskAttempt>> byExecutor = new LinkedHashMap<>();
    attempts.forEach((taskId, launched) -> {
      TaskSetManager.Running r = launched.taskSet() == taskSet ? taskSet.running(taskId) : null;
      if (r != null) {
        byExecutor.computeIfAbsent(launched.executor(), e -> new ArrayList<>())
            .add(new TaskAttempt(taskId, taskSet.id, taskSet.partitionOf(r.index()), r.attempt()));
      }
    });
    byExecutor.forEach((executor, killed) -> {
      Slots s = executors.get(executor);
      if (s != null) {
        s.handle.send(new ControlMessage.KillTasks(killed, reason));
      }
    });
  }

  /** Sends {@code message} to every executor. */
  void broadcast(ControlMessage message) {
    executors.values().forEach(s -> s.handle.send(message));
  }
}
