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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Matches free executor slots to task sets: every round gives each executor with a free slot
 * the best task of the first task set (oldest job, then lowest stage) that has one for it, until
 * no slot or no task is left; then sends each executor its launches in one message, preceded by
 * the registration of any stage attempt it has not seen. Keeps which attempt runs where. An
 * executor whose slots are all busy may still be sent one task per slot ahead, from a task set
 * whose tasks are short: it then starts the next one as soon as one ends.
 *
 * <p>An offer looks only at the executors that may take something they could not take at the
 * last one: those whose slots were freed since, those just added, and those whose locality wait
 * for some level ended (executors with a free slot that found nothing they may take wait in a
 * queue ordered by when that is; how long a slot has waited is the {@link LocalityTimer}'s to
 * say). Every executor is looked at again only when the tasks or the levels they may take
 * changed: a task set opened (submitted, or no longer behind a waiting gang), a partition went
 * back to pending, a set's tasks became short, or an executor came or went and a set's levels
 * with it. An executor left out would have been offered nothing, so the launches are those of a
 * round over every executor, at a cost that follows the slots freed and the tasks launched.
 *
 * <pre>
 * slot: free --offered, takes a task--> busy --its attempt ends--> free, offered at the next offer
 *         '--offered, nothing it may take yet--> waiting, queued by when its wait at its level ends
 *                 |--that time comes--> offered again, the next level allowed
 *                 |--another slot of its executor is freed--> offered again
 *                 '--a set opened, a task requeued, tasks became short, levels changed--> offered again
 * </pre>
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

  /**
   * How long the free slots of an executor have waited, as one task set's locality levels count
   * it, and what a launch does to that. The waited time must grow with the clock; at a launch it
   * may change for the executor launched on, and only shrink for the others: the scheduler wakes
   * a waiting executor when the time it computed for it last has passed.
   */
  interface LocalityTimer {
    /**
     * dflow's: a slot's wait counts from when that slot became free ({@link LocalityWaits}),
     * starting at the level of its executor's last launch from the set
     * ({@link TaskSetManager#waitReached}), and skips the part of it that cannot pay off
     * ({@link TaskSetManager#futileWait}; when that grows, the set says so through
     * {@link TaskSetManager#takeReopened} and every executor is offered again).
     */
    LocalityTimer PER_SLOT = new PerSlot(true);

    /** dflow's wait without skipping what cannot pay off: a variant to compare with, not used. */
    LocalityTimer WAIT_THROUGH = new PerSlot(false);

    /** A wait that starts from the best level every time a slot is freed: a variant to compare with, not used. */
    LocalityTimer RESTARTING = (set, executor, freeSinceNanos, now) -> now - freeSinceNanos;

    /** @param freeSinceNanos when the executor's longest-free slot became free */
    long waitedNanos(TaskSetManager set, ExecutorId executor, long freeSinceNanos, long now);

    /** A task of {@code set} was launched on {@code executor} at {@code level}. */
    default void launched(TaskSetManager set, ExecutorId executor, Locality level, long now) {}
  }

  /** The per-slot wait of {@link LocalityTimer#PER_SLOT}, with or without skipping its futile part. */
  private record PerSlot(boolean skipFutile) implements LocalityTimer {
    @Override
    public long waitedNanos(TaskSetManager set, ExecutorId executor, long freeSinceNanos, long now) {
      long behind = set.waitReached(executor);
      return (skipFutile ? Math.max(behind, set.futileWait()) : behind) + now - freeSinceNanos;
    }

    @Override
    public void launched(TaskSetManager set, ExecutorId executor, Locality level, long now) {
      set.launchedAt(executor, level);
    }
  }

  /** An executor, its rack, and its free slots (negative: tasks queued ahead on it) with when each became free. */
  private static final class Slots {
    final ExecutorHandle handle;
    final String rack;
    /** The executor's IP address when it is not its host name: split hosts given as addresses match it too. */
    final String alias;
    /** Its place in the order executors were added: the order of offers in a round. */
    final long order;
    int free;
    /** When each free slot became free, oldest first, from {@code head}: as many entries as free slots. */
    private final long[] freeSince;
    private int head;
    final Set<StageAttemptId> registered = new HashSet<>();
    /** The stage attempt it last launched a task of: registered, and asked about at nearly every launch. */
    StageAttemptId lastLaunched;
    /** The launches of the offer under way, sent together at its end; null while it has none. */
    List<TaskLaunch> batch;
    /** Whether the next offer looks at it. */
    boolean candidate;
    /** When its wait at some level ends, as it is queued in {@code waiting}; Long.MAX_VALUE when not queued. */
    long wakeAt = Long.MAX_VALUE;
    boolean removed;

    Slots(ExecutorHandle handle, String rack, long order, long now) {
      this.handle = handle;
      this.rack = rack;
      String address = handle.address();
      this.alias = address != null && !address.equals(handle.host())
          && (address.matches("\\d{1,3}(\\.\\d{1,3}){3}") || address.contains(":")) ? address : null;
      this.order = order;
      this.free = handle.slots();
      this.freeSince = new long[Math.max(1, free)];
      Arrays.fill(freeSince, now);
    }

    long oldestFreeSince() {
      return freeSince[head];
    }

    /** Takes a free slot, the one free longest, or queues a task ahead when none is free. */
    void take() {
      if (free > 0) {
        head = (head + 1) % freeSince.length;
      }
      free--;
    }

    void release(long now) {
      free++;
      if (free > 0) {
        freeSince[(head + free - 1) % freeSince.length] = now;
      }
    }

    /** Whether some task set may give it a task: a free slot, or room to queue one ahead for short tasks. */
    boolean canTake(boolean anyShort) {
      return free > 0 || (anyShort && free > -handle.slots());
    }
  }

  private final GangLauncher gangs;
  private final Clock clock;
  private final Topology topology;
  private final LocalityTimer timer;
  private final Map<ExecutorId, Slots> executors = new LinkedHashMap<>();
  /** The slots of the executors on each host (by name, and by address where that differs) and in each rack. */
  private final Map<String, Integer> slotsOnHost = new HashMap<>();
  private final Map<String, Integer> slotsInRack = new HashMap<>();
  private final TaskSetManager.Cluster cluster = new TaskSetManager.Cluster() {
    @Override
    public int executorCount() {
      return executors.size();
    }

    @Override
    public int slotsOf(ExecutorId executor) {
      Slots s = executors.get(executor);
      return s == null ? 0 : s.handle.slots();
    }

    @Override
    public int slotsOn(String host) {
      return slotsOnHost.getOrDefault(host, 0);
    }

    @Override
    public int slotsIn(String rack) {
      return slotsInRack.getOrDefault(rack, 0);
    }
  };
  private long nextOrder;
  private int totalSlots;
  /** Free slots over all executors (those queued ahead not counted against it). */
  private int freeSlots;
  /** The executors the next offer looks at (see the class comment). */
  private final List<Slots> candidates = new ArrayList<>();
  /** Executors with a free slot that found nothing they may take, by when their wait at some level ends. */
  private final TreeSet<Slots> waiting =
      new TreeSet<>(Comparator.<Slots>comparingLong(s -> s.wakeAt).thenComparingLong(s -> s.order));
  /** Whether the next offer looks at every executor: the levels of a set changed. */
  private boolean offerAll;
  /** Whether every offer looks at every executor (see {@link #lookAtEveryExecutor}). */
  private boolean everyExecutor;
  /** The task sets the last offer offered to, and which of them had short tasks. */
  private final Set<TaskSetManager> openBefore = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<TaskSetManager> shortBefore = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<TaskSetManager> taskSets = new ArrayList<>();
  private final Map<Long, Launched> attempts = new HashMap<>();
  private long nextTaskId;

  /** A running attempt: its task set, where it runs, and how near its data. */
  static final class Launched {
    private final TaskSetManager taskSet;
    /** Its executor's slots, held so an end frees them without a look-up. */
    private final Slots slots;
    private final Locality level;
    /** When it was launched, on the scheduler's clock: how long it has run, for speculation. */
    private final long startNanos;

    private Launched(TaskSetManager taskSet, Slots slots, Locality level, long startNanos) {
      this.taskSet = taskSet;
      this.slots = slots;
      this.level = level;
      this.startNanos = startNanos;
    }

    TaskSetManager taskSet() {
      return taskSet;
    }

    ExecutorId executor() {
      return slots.handle.id();
    }

    Locality level() {
      return level;
    }
  }

  TaskScheduler(GangLauncher gangs, Clock clock, Topology topology) {
    this(gangs, clock, topology, LocalityTimer.PER_SLOT);
  }

  /** @param timer how slots' locality waits count: {@link LocalityTimer#PER_SLOT} but in simulations of other policies */
  TaskScheduler(GangLauncher gangs, Clock clock, Topology topology, LocalityTimer timer) {
    this.gangs = gangs;
    this.clock = clock;
    this.topology = topology;
    this.timer = timer;
  }

  /**
   * Makes every offer look at every executor, as offers did before they kept candidates: a
   * reference to check the candidates against, not for use in a driver.
   */
  void lookAtEveryExecutor() {
    everyExecutor = true;
  }

  void addExecutor(ExecutorHandle executor) {
    Slots before = executors.get(executor.id());
    if (before != null) {
      forgetSlots(before);
    }
    // one added again keeps its place in the map, and so in the order of offers
    long order = before != null ? before.order : nextOrder++;
    Slots s = new Slots(executor, topology.rackOf(executor.host()), order, clock.nanoTime());
    executors.put(executor.id(), s);
    int slots = executor.slots();
    slotsOnHost.merge(executor.host(), slots, Integer::sum);
    if (s.alias != null) {
      slotsOnHost.merge(s.alias, slots, Integer::sum);
    }
    slotsInRack.merge(s.rack, slots, Integer::sum);
    totalSlots += executor.slots();
    freeSlots += Math.max(0, s.free);
    updateLevels();
    markCandidate(s);
  }

  /** When the scheduler should offer slots again though nothing happened (a slot's locality wait ends). */
  long nextWakeNanos() {
    return waiting.isEmpty() ? Long.MAX_VALUE : waiting.first().wakeAt;
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
    return totalSlots;
  }

  /** Forgets an executor; returns the attempts that were running on it. */
  List<Long> removeExecutor(ExecutorId id) {
    return removeExecutors(Set.of(id));
  }

  /**
   * Forgets executors lost together; returns the attempts that were running on them, in the
   * order they were launched. One walk over the running attempts serves them all.
   */
  List<Long> removeExecutors(Set<ExecutorId> ids) {
    boolean removed = false;
    for (ExecutorId id : ids) {
      Slots s = executors.remove(id);
      if (s != null) {
        int slots = s.handle.slots();
        slotsOnHost.computeIfPresent(s.handle.host(), (h, n) -> n == slots ? null : n - slots);
        if (s.alias != null) {
          slotsOnHost.computeIfPresent(s.alias, (h, n) -> n == slots ? null : n - slots);
        }
        slotsInRack.computeIfPresent(s.rack, (r, n) -> n == slots ? null : n - slots);
        forgetSlots(s);
        removed = true;
      }
    }
    if (removed) {
      updateLevels();
    }
    List<Long> lost = new ArrayList<>();
    attempts.forEach((taskId, launched) -> {
      if (ids.contains(launched.executor())) {
        lost.add(taskId);
      }
    });
    java.util.Collections.sort(lost);
    return lost;
  }

  private void forgetSlots(Slots s) {
    s.removed = true;
    unqueue(s);
    totalSlots -= s.handle.slots();
    freeSlots -= Math.max(0, s.free);
  }

  /** The executors changed: a set whose levels changed may now be taken by slots that waited, or not yet. */
  private void updateLevels() {
    for (TaskSetManager t : taskSets) {
      offerAll |= t.updateLevels(cluster);
    }
  }

  /** How many pending tasks would rather run on each host: what a cluster manager's requests prefer. */
  java.util.Map<String, Integer> pendingTaskHosts() {
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    for (TaskSetManager t : taskSets) {
      t.countPendingHosts(counts);
    }
    return counts;
  }

  void submit(TaskSetManager taskSet) {
    taskSet.updateLevels(cluster);
    taskSets.add(taskSet);
    taskSets.sort(ORDER); // the next offer finds it newly open and looks at every executor
  }

  /** Stops offering {@code taskSet}'s tasks and tells the executors that registered it to forget it. */
  void remove(TaskSetManager taskSet) {
    if (taskSets.remove(taskSet)) {
      openBefore.remove(taskSet);
      shortBefore.remove(taskSet);
      for (Slots s : executors.values()) {
        if (s.registered.remove(taskSet.id)) {
          s.handle.send(new ForgetStage(taskSet.id));
        }
        if (s.lastLaunched == taskSet.id) {
          s.lastLaunched = null;
        }
      }
    }
  }

  /** An attempt ended: frees its slot; returns what was launched, or null if it is unknown (its executor was lost). */
  Launched ended(long taskId) {
    Launched launched = attempts.remove(taskId);
    if (launched == null) {
      return null;
    }
    if (!launched.slots.removed) {
      release(launched.slots);
    }
    return launched;
  }

  /** What a running attempt is: its task set, where it runs, at what level; null once it ended. */
  Launched launched(long taskId) {
    return attempts.get(taskId);
  }

  /** The task set of a running attempt (for an attempt lost with its executor), removing it. */
  TaskSetManager forget(long taskId) {
    Launched launched = attempts.remove(taskId);
    return launched == null ? null : launched.taskSet();
  }

  private void take(Slots s) {
    if (s.free > 0) {
      freeSlots--;
    }
    s.take();
  }

  private void release(Slots s) {
    s.release(clock.nanoTime());
    if (s.free > 0) {
      freeSlots++;
    }
    markCandidate(s);
  }

  private void markCandidate(Slots s) {
    if (!s.candidate) {
      s.candidate = true;
      candidates.add(s);
    }
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
    long now = clock.nanoTime();
    boolean all = offerAll || everyExecutor;
    boolean anyShort = false;
    for (TaskSetManager t : open) {
      boolean isShort = t.tasksAreShort();
      anyShort |= isShort;
      boolean reopened = t.takeReopened();
      all |= reopened || !openBefore.contains(t) || (isShort && !shortBefore.contains(t));
    }
    List<Slots> round = offeredNow(all, anyShort, now);
    List<Slots> batched = new ArrayList<>();
    List<Slots> active = new ArrayList<>(round);
    while (!active.isEmpty()) {
      int kept = 0;
      for (int i = 0; i < active.size(); i++) {
        Slots s = active.get(i);
        if (launchOne(s, open, now, batched)) {
          total++;
          active.set(kept++, s); // one that got nothing would get nothing in a later round either
        }
      }
      active.subList(kept, active.size()).clear();
    }
    for (Slots s : batched) {
      s.handle.send(new LaunchTasks(s.batch));
      s.batch = null;
    }
    scheduleWakes(round, open, now);
    openBefore.clear();
    openBefore.addAll(open);
    shortBefore.clear();
    for (TaskSetManager t : open) {
      if (t.tasksAreShort()) {
        shortBefore.add(t);
      }
    }
    return total;
  }

  /**
   * The executors this offer looks at, in the order they were added: every one that may take a
   * task when {@code all}, else the candidates and those whose wait ends by {@code now}.
   */
  private List<Slots> offeredNow(boolean all, boolean anyShort, long now) {
    List<Slots> round = new ArrayList<>();
    if (all) {
      for (Slots s : executors.values()) {
        if (s.canTake(anyShort)) {
          round.add(s);
        } else {
          unqueue(s);
        }
      }
    } else {
      while (!waiting.isEmpty() && waiting.first().wakeAt <= now) {
        Slots s = waiting.pollFirst();
        s.wakeAt = Long.MAX_VALUE;
        markCandidate(s);
      }
      for (Slots s : candidates) {
        if (!s.removed && s.canTake(anyShort)) {
          round.add(s);
        } else {
          unqueue(s);
        }
      }
      round.sort(Comparator.comparingLong(s -> s.order));
    }
    for (Slots s : candidates) {
      s.candidate = false;
    }
    candidates.clear();
    offerAll = false;
    return round;
  }

  /** Gives {@code s} the best task of the first set that has one it may take; returns whether one was launched. */
  private boolean launchOne(Slots s, List<TaskSetManager> open, long now, List<Slots> batched) {
    if (s.free <= -s.handle.slots()) {
      return false;
    }
    for (TaskSetManager t : open) {
      if (s.free <= 0 && !t.tasksAreShort()) {
        continue;
      }
      // a slot queued ahead is not free yet: it takes only what it would take at once
      long waited = s.free > 0 ? timer.waitedNanos(t, s.handle.id(), s.oldestFreeSince(), now) : 0;
      long taskId = nextTaskId;
      int index = t.offer(s.handle.id(), s.handle.host(), s.alias, s.rack, t.allowedLevel(waited), taskId);
      if (index < 0) {
        continue;
      }
      nextTaskId++;
      take(s);
      Locality level = t.lastLevel();
      attempts.put(taskId, new Launched(t, s, level, now));
      timer.launched(t, s.handle.id(), level, now);
      TaskSetManager.Task task = t.task(index);
      TaskAttempt attempt = new TaskAttempt(taskId, t.id, task.partition(), t.running(taskId).attempt());
      if (s.batch == null) {
        s.batch = new ArrayList<>();
        batched.add(s);
      }
      if (s.lastLaunched != t.id) {
        if (s.registered.add(t.id)) {
          s.handle.send(t.registration);
        }
        s.lastLaunched = t.id;
      }
      // a first attempt reads its input from the stage's registration when that carries them all
      byte[] inputs = attempt.attempt() == 0 && t.registration.inputs() != null ? null : task.inputs();
      s.batch.add(new TaskLaunch(attempt, inputs, task.cached()));
      return true;
    }
    return false;
  }

  /**
   * Queues each executor of {@code offered} that kept a free slot by when its wait ends at the
   * next level of a set with tasks pending; with none pending anywhere, no slot waits.
   */
  private void scheduleWakes(List<Slots> offered, List<TaskSetManager> open, long now) {
    List<TaskSetManager> withPending = new ArrayList<>();
    for (TaskSetManager t : open) {
      if (t.hasPending()) {
        withPending.add(t);
      }
    }
    if (withPending.isEmpty()) {
      for (Slots s : waiting) {
        s.wakeAt = Long.MAX_VALUE;
      }
      waiting.clear();
      return;
    }
    for (Slots s : offered) {
      unqueue(s);
      if (s.free <= 0) {
        continue;
      }
      long wake = Long.MAX_VALUE;
      for (TaskSetManager t : withPending) {
        long wait = t.nanosUntilNextLevel(timer.waitedNanos(t, s.handle.id(), s.oldestFreeSince(), now));
        if (wait >= 0) {
          wake = Math.min(wake, now + wait);
        }
      }
      if (wake != Long.MAX_VALUE) {
        s.wakeAt = wake;
        waiting.add(s);
      }
    }
  }

  private void unqueue(Slots s) {
    if (s.wakeAt != Long.MAX_VALUE) {
      waiting.remove(s);
      s.wakeAt = Long.MAX_VALUE;
    }
  }

  /** Reserves a free slot for every rank of {@code gang} and launches it, or returns false when there are too few. */
  private boolean launchGang(TaskSetManager gang) {
    if (freeSlots < gang.size()) {
      return false;
    }
    TaskLaunch[] launches = new TaskLaunch[gang.size()];
    ExecutorHandle[] where = new ExecutorHandle[gang.size()];
    int launched = 0;
    for (Slots s : executors.values()) {
      while (s.free > 0 && launched < gang.size()) {
        long taskId = nextTaskId++;
        int index = gang.offer(s.handle.id(), s.handle.host(), taskId);
        take(s);
        markCandidate(s); // its longest-free slot was taken: its wake-up moves later
        attempts.put(taskId, new Launched(gang, s, gang.lastLevel(), clock.nanoTime()));
        TaskSetManager.Task task = gang.task(index);
        int rank = task.partition(); // a gang's task set holds every partition: rank i computes partition i
        launches[rank] = new TaskLaunch(new TaskAttempt(taskId, gang.id, task.partition(),
            gang.running(taskId).attempt()), task.inputs(), task.cached());
        where[rank] = s.handle;
        launched++;
      }
    }
    gang.gangLaunched();
    gangs.launch(new GangLauncher.Gang(gang.registration, List.of(launches), List.of(where)));
    return true;
  }

  /**
   * Marks the stragglers of every task set as {@code speculation} sees them; when any were
   * found, the next offer looks at every executor, so a free slot elsewhere takes a copy.
   */
  void findStragglers(Speculation speculation) {
    long now = clock.nanoTime();
    java.util.function.LongUnaryOperator started = id -> {
      Launched l = attempts.get(id);
      return l == null ? -1 : l.startNanos;
    };
    for (TaskSetManager t : taskSets) {
      if (t.findStragglers(speculation, started, now) > 0) {
        offerAll = true;
      }
    }
  }

  /** Whether an attempt of some task set that is not a gang is running: then stragglers may appear. */
  boolean anyRunning() {
    for (Launched l : attempts.values()) {
      if (!l.taskSet.gang) {
        return true;
      }
    }
    return false;
  }

  /** Asks the executors running attempts {@code taskIds} of {@code taskSet} to kill them, saying {@code reason}. */
  void killAttempts(TaskSetManager taskSet, List<Long> taskIds, String reason) {
    Map<ExecutorId, List<TaskAttempt>> byExecutor = new LinkedHashMap<>();
    for (long taskId : taskIds) {
      Launched launched = attempts.get(taskId);
      TaskSetManager.Running r = taskSet.running(taskId);
      if (launched != null && r != null) {
        byExecutor.computeIfAbsent(launched.executor(), e -> new ArrayList<>())
            .add(new TaskAttempt(taskId, taskSet.id, taskSet.partitionOf(r.index()), r.attempt()));
      }
    }
    sendKills(byExecutor, reason);
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
    sendKills(byExecutor, reason);
  }

  private void sendKills(Map<ExecutorId, List<TaskAttempt>> byExecutor, String reason) {
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
