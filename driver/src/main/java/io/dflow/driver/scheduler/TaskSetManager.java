package io.dflow.driver.scheduler;

import io.dflow.executor.protocol.CachedBlockLocation;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.StageAttemptId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tasks of one stage attempt: which partitions wait for a slot (indexed by the executors,
 * hosts and racks they prefer), which attempts run where, how often each partition failed. It
 * answers a free slot with its best task for that slot, at most as far from its data as the
 * slot's wait allows ({@link #allowedLevel}): one whose cached input is on that executor, then
 * one whose input is on that host, then one with no preference, then one whose input is in that
 * rack, then any. Once its tasks show themselves short, executors may be sent one task ahead of
 * their free slots ({@link #tasksAreShort}).
 *
 * <pre>
 * partition: pending --offer--> running --success--> done
 *                                  |--failure, attempts left--> pending
 *                                  |--failure, none left--> the stage attempt aborts
 *                                  '--runs past the straggler threshold--> speculatable
 *                                        --offered to another executor--> two copies running;
 *                                        the first success wins, the other is killed
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
  private final Map<ExecutorId, IndexQueue> byExecutor = new HashMap<>();
  private final Map<String, IndexQueue> byHost = new HashMap<>();
  private final Map<String, IndexQueue> byRack = new HashMap<>();
  private final IndexQueue noPref = new IndexQueue();
  /** Running partitions whose copy may be launched on another executor, oldest straggler first. */
  private final IndexQueue speculatable = new IndexQueue();
  /** Running attempts per partition; with one, {@code runningOn} says where. */
  private final int[] copiesRunning;
  private final ExecutorId[] runningOn;
  /** Whether a partition's copy was asked for since it last started alone. */
  private final boolean[] speculated;
  /** The run times of the successes so far, in nanoseconds ({@code doneCount} of them, unordered). */
  private long[] successNanos = new long[8];
  private int successes;
  /** Failures of this set's tasks per executor, and the executors offered none of its tasks for them. */
  private final Map<ExecutorId, Integer> failuresOn = new HashMap<>();
  private final Set<ExecutorId> excluded = new java.util.HashSet<>();
  /** How many executors the cluster had when the levels were last worked out. */
  private int executorsNow;
  private final IndexQueue any = new IndexQueue();
  private final Topology topology;
  /** Per executor, the wait before the level of its last launch from this set ({@link #waitReached}). */
  private final Map<ExecutorId, Long> waitReached = new HashMap<>();
  private final LocalityWaits waits;
  /**
   * The levels this set's tasks can run at on the executors there are, best first: what a free
   * slot waits through. A level none of its tasks can reach (no executor on any of their hosts)
   * is not waited for.
   */
  private List<Locality> levels = List.of(Locality.ANY);
  /** The level of the task the last {@link #offer} gave. */
  private Locality lastLevel;
  private final Map<Long, Running> running = new HashMap<>();
  /** Where each done partition succeeded (its map output lives there); null while not done. */
  private final ExecutorId[] succeededOn;
  /** Whether slots that found nothing here may find something now, since {@link #takeReopened} was last asked. */
  private boolean reopened;
  /** How many partitions are pending. */
  private int pendingCount;
  /** Whether a success made part of the wait futile, and every executor was offered again for it. */
  private boolean futileAnnounced;
  /** Per level of {@link #levels}, the slots of the executors where some task would run at that level. */
  private long[] levelSlots = new long[1];
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
      int maxAttempts, int priority, long submittedNanos, boolean gang, Topology topology, LocalityWaits waits) {
    this.id = id;
    this.topology = topology;
    this.waits = waits;
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
    this.succeededOn = new ExecutorId[n];
    this.copiesRunning = new int[n];
    this.runningOn = new ExecutorId[n];
    this.speculated = new boolean[n];
    for (int i = 0; i < n; i++) {
      enqueue(i);
    }
    reopened = false;
  }

  /** What the cluster has now, for {@link #updateLevels}. */
  interface Cluster {
    int executorCount();

    /** The slots of that executor, 0 if it is not there. */
    int slotsOf(ExecutorId executor);

    /** The slots of the executors on that host (by name or address), 0 if none. */
    int slotsOn(String host);

    /** The slots of the executors in that rack, 0 if none. */
    int slotsIn(String rack);
  }

  /**
   * Works out again which levels this set's tasks can run at: the executors changed, or the
   * set was just submitted. Returns whether they changed.
   */
  boolean updateLevels(Cluster cluster) {
    executorsNow = cluster.executorCount();
    List<Locality> out = new ArrayList<>();
    long[] slots = new long[4];
    long process = slotSum(byExecutor.keySet(), cluster::slotsOf);
    long node = slotSum(byHost.keySet(), cluster::slotsOn);
    long rack = slotSum(byRack.keySet(), cluster::slotsIn);
    if (process > 0) {
      slots[out.size()] = process;
      out.add(Locality.PROCESS_LOCAL);
    }
    if (node > 0) {
      slots[out.size()] = node;
      out.add(Locality.NODE_LOCAL);
    }
    if (rack > 0) {
      slots[out.size()] = rack;
      out.add(Locality.RACK_LOCAL);
    }
    out.add(Locality.ANY);
    levelSlots = Arrays.copyOf(slots, out.size());
    if (out.equals(levels)) {
      return false;
    }
    levels = List.copyOf(out);
    return true;
  }

  private static <K> long slotSum(Set<K> keys, java.util.function.ToIntFunction<K> slots) {
    long sum = 0;
    for (K k : keys) {
      sum += slots.applyAsInt(k);
    }
    return sum;
  }

  /**
   * The part of the wait that cannot pay off: the waits of this set's best levels while more
   * tasks are pending than the slots at that level could start within its wait, going by the
   * mean run time of this set's successes so far. Waiting there would only leave slots idle:
   * those tasks could not all run near their data in time anyway (data on a few hosts of a
   * large cluster). Before the first success nothing is known, and the whole wait counts.
   */
  long futileWait() {
    if (doneCount == 0 || doneRunMillis == 0) {
      return 0;
    }
    double meanNanos = doneRunMillis * 1e6 / doneCount;
    long sum = 0;
    for (int i = 0; i < levels.size() - 1; i++) {
      long wait = waits.at(levels.get(i));
      if (pendingCount <= levelSlots[i] * (wait / meanNanos)) {
        break;
      }
      sum += wait;
    }
    return sum;
  }

  /**
   * How much of the wait a slot of {@code executor} has behind it before its own: the wait
   * before the level of its last launch from this set. A slot that found nothing better and took
   * a less local task does not wait through the better levels again on its next turn (a better
   * task, when one appears, is still taken first, and brings it back to the best level).
   */
  long waitReached(ExecutorId executor) {
    Long reached = waitReached.get(executor);
    return reached == null ? 0 : reached;
  }

  /** A task of this set was launched on {@code executor} at {@code level}. */
  void launchedAt(ExecutorId executor, Locality level) {
    if (level != Locality.NO_PREF) {
      long reached = waitBefore(level);
      if (reached == 0) {
        waitReached.remove(executor);
      } else {
        waitReached.put(executor, reached);
      }
    }
  }

  /** How long a slot waits, through the levels of this set that are better than {@code level}, to reach it. */
  long waitBefore(Locality level) {
    long sum = 0;
    for (Locality l : levels) {
      if (l.compareTo(level) < 0) {
        sum += waits.at(l);
      }
    }
    return sum;
  }

  /**
   * The least local level a slot free for {@code idleNanos} may take from this set: it waits
   * through each level this set has, best first, for that level's wait.
   */
  Locality allowedLevel(long idleNanos) {
    long waited = idleNanos;
    for (Locality level : levels) {
      long wait = waits.at(level);
      if (level == Locality.ANY || waited < wait) {
        return level;
      }
      waited -= wait;
    }
    return Locality.ANY;
  }

  /**
   * How much longer a slot free for {@code idleNanos} must wait before {@link #allowedLevel}
   * allows a less local level, or -1 if it allows every level already.
   */
  long nanosUntilNextLevel(long idleNanos) {
    long threshold = 0;
    for (Locality level : levels) {
      if (level == Locality.ANY) {
        return -1;
      }
      threshold += waits.at(level);
      if (idleNanos < threshold) {
        return threshold - idleNanos;
      }
    }
    return -1;
  }

  /** Whether a task is pending that is not yet running. */
  boolean hasPending() {
    if (zombie) {
      return false;
    }
    while (!any.isEmpty() && !pending[any.peek()]) {
      any.poll(); // entries of launched tasks are dropped lazily
    }
    return !any.isEmpty();
  }

  /**
   * Whether slots that found nothing here before may find something now: a partition went back
   * to pending (a failure, a lost map output), or the wait first became futile
   * ({@link #futileWait}), since the last call.
   */
  boolean takeReopened() {
    boolean was = reopened;
    reopened = false;
    return was;
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

  /** Adds to {@code counts}, for each host a pending task would rather run on, one per such task. */
  void countPendingHosts(Map<String, Integer> counts) {
    for (int i = 0; i < pending.length; i++) {
      if (pending[i]) {
        for (String h : tasks.get(i).preferredHosts()) {
          counts.merge(h, 1, Integer::sum);
        }
      }
    }
  }

  private void enqueue(int index) {
    pending[index] = true;
    pendingCount++;
    reopened = true;
    Task t = tasks.get(index);
    for (ExecutorId e : t.preferredExecutors()) {
      byExecutor.computeIfAbsent(e, k -> new IndexQueue()).add(index);
    }
    List<String> hosts = t.preferredHosts();
    String[] racks = new String[hosts.size()];
    int distinct = 0;
    for (String h : hosts) {
      byHost.computeIfAbsent(h, k -> new IndexQueue()).add(index);
      String rack = topology.rackOf(h);
      // no topology configured: racks say nothing
      if (!rack.equals(Topology.DEFAULT_RACK) && !among(racks, distinct, rack)) {
        racks[distinct++] = rack;
        byRack.computeIfAbsent(rack, k -> new IndexQueue()).add(index);
      }
    }
    if (t.preferredExecutors().isEmpty() && hosts.isEmpty()) {
      noPref.add(index);
    }
    any.add(index);
  }

  private static boolean among(String[] values, int count, String value) {
    for (int i = 0; i < count; i++) {
      if (values[i].equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** The best pending task for a free slot of {@code executor} on {@code host}, at any level. */
  int offer(ExecutorId executor, String host, long taskId) {
    return offer(executor, host, null, topology.rackOf(host), Locality.ANY, taskId);
  }

  /**
   * The best pending task for a free slot of {@code executor} on {@code host} (also known by its
   * address {@code alias}, or null) in {@code rack}, no less local than {@code max} (a task with
   * no preference is always allowed), marked as running as attempt {@code taskId}; or -1 when
   * there is none. {@link #lastLevel} then says its level.
   */
  int offer(ExecutorId executor, String host, String alias, String rack, Locality max, long taskId) {
    if (zombie || isExcluded(executor)) {
      return -1;
    }
    int index = byExecutor.isEmpty() ? -1 : poll(byExecutor.get(executor));
    Locality level = Locality.PROCESS_LOCAL;
    if (index < 0) {
      index = poll(byHost.get(host));
      if (index < 0 && alias != null) {
        index = poll(byHost.get(alias));
      }
      level = Locality.NODE_LOCAL;
    }
    if (index < 0) {
      index = poll(noPref);
      level = Locality.NO_PREF;
    }
    if (index < 0 && max.compareTo(Locality.RACK_LOCAL) >= 0) {
      index = poll(byRack.get(rack));
      level = Locality.RACK_LOCAL;
    }
    if (index < 0 && max == Locality.ANY) {
      index = poll(any);
      level = Locality.ANY;
    }
    if (index < 0) {
      index = pollSpeculatable(executor);
      level = Locality.ANY;
    }
    if (index < 0) {
      return -1;
    }
    lastLevel = level;
    pending[index] = false;
    pendingCount--;
    start(index, taskId, executor);
    return index;
  }

  private void start(int index, long taskId, ExecutorId executor) {
    running.put(taskId, new Running(index, attempts[index]++, executor));
    if (copiesRunning[index]++ == 0) {
      runningOn[index] = executor;
    }
  }

  private void stopped(Running r) {
    if (--copiesRunning[r.index()] == 1) {
      for (Running other : running.values()) {
        if (other.index() == r.index()) {
          runningOn[r.index()] = other.executor();
        }
      }
    }
  }

  /** A straggler that runs alone, elsewhere than on {@code executor}: the one to copy there; or -1. */
  private int pollSpeculatable(ExecutorId executor) {
    if (speculatable.isEmpty() || gang) {
      return -1;
    }
    int tried = 0;
    int n = speculatable.size();
    while (tried++ < n) {
      int i = speculatable.poll();
      if (done[i] || pending[i] || copiesRunning[i] != 1) {
        continue; // it finished, failed or was copied already: no longer a straggler to copy
      }
      if (!executor.equals(runningOn[i])) {
        return i;
      }
      speculatable.add(i); // its copy must run elsewhere
    }
    return -1;
  }

  /**
   * Marks the running attempts that have run longer than {@code speculation} allows, given when
   * each running attempt started ({@code startedNanos} of its task id, -1 if unknown); returns
   * how many partitions became speculatable.
   */
  int findStragglers(Speculation speculation, java.util.function.LongUnaryOperator startedNanos, long now) {
    if (gang || zombie || successes == 0 || successes < speculation.quantile() * tasks.size()) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(successNanos, successes);
    Arrays.sort(sorted);
    long threshold = speculation.thresholdNanos(sorted[sorted.length / 2]);
    int found = 0;
    for (Map.Entry<Long, Running> e : running.entrySet()) {
      int i = e.getValue().index();
      long started = startedNanos.applyAsLong(e.getKey());
      if (started >= 0 && !done[i] && !speculated[i] && copiesRunning[i] == 1 && now - started > threshold) {
        speculated[i] = true;
        speculatable.add(i);
        found++;
      }
    }
    return found;
  }

  /** The other running attempts of partition index {@code index} than {@code taskId}: copies to kill. */
  List<Long> otherAttempts(int index, long taskId) {
    List<Long> others = new ArrayList<>();
    if (copiesRunning[index] > 0) {
      running.forEach((id, r) -> {
        if (r.index() == index && id != taskId) {
          others.add(id);
        }
      });
    }
    return others;
  }

  /**
   * Whether {@code executor} is kept from this set's tasks for failing them: only while some
   * executor is not (an excluded set that had none left would never finish).
   */
  boolean isExcluded(ExecutorId executor) {
    return !excluded.isEmpty() && excluded.contains(executor) && excluded.size() < executorsNow;
  }

  /**
   * Counts a failure of one of this set's tasks against {@code executor}; returns true if that
   * excludes it from the set under {@code rule}.
   */
  boolean blame(ExecutorId executor, ExcludeOnFailure rule) {
    if (!rule.enabled() || gang || excluded.contains(executor)) {
      return false;
    }
    if (failuresOn.merge(executor, 1, Integer::sum) >= rule.maxFailedTasksPerExecutor()
        && excluded.size() + 1 < executorsNow) {
      excluded.add(executor);
      return true;
    }
    return false;
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

  /** The locality level of the task the last successful {@link #offer} gave. */
  Locality lastLevel() {
    return lastLevel;
  }

  /** The attempt number the last {@link #offer} gave {@code taskId}. */
  Running running(long taskId) {
    return running.get(taskId);
  }

  /** Takes the first still-pending index off {@code queue} (entries of launched tasks are dropped lazily). */
  private int poll(IndexQueue queue) {
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
   * A first-in first-out queue of task indexes in one int array: a task set of a million tasks
   * with three replicas each holds some seven million entries, which boxed would cost five times
   * the memory.
   */
  private static final class IndexQueue {
    private int[] items = new int[4];
    private int head;
    private int tail;

    boolean isEmpty() {
      return head == tail;
    }

    void add(int index) {
      if (tail == items.length) {
        int size = tail - head;
        if (size > items.length / 2) {
          items = Arrays.copyOfRange(items, head, head + 2 * items.length);
        } else {
          System.arraycopy(items, head, items, 0, size); // reuse the room taken entries left
        }
        head = 0;
        tail = size;
      }
      items[tail++] = index;
    }

    int peek() {
      return items[head];
    }

    int size() {
      return tail - head;
    }

    int poll() {
      int index = items[head++];
      if (head == tail) {
        head = 0;
        tail = 0;
      }
      return index;
    }
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
    if (r == null) {
      return -1;
    }
    stopped(r);
    if (done[r.index()]) {
      return -1;
    }
    long futileBefore = futileWait();
    if (successes == successNanos.length) {
      successNanos = Arrays.copyOf(successNanos, 2 * successes);
    }
    successNanos[successes++] = runMillis * 1_000_000;
    doneRunMillis += runMillis;
    done[r.index()] = true;
    if (pending[r.index()]) {
      pending[r.index()] = false;
      pendingCount--;
    }
    succeededOn[r.index()] = r.executor();
    doneCount++;
    if (!futileAnnounced && futileWait() > futileBefore) {
      // once: the first successes show the tasks too long for the wait; later changes (the mean
      // moving about a threshold) are left to the slots' own wake-ups rather than offered to all
      futileAnnounced = true;
      reopened = true;
    }
    return r.index();
  }

  /**
   * Records a failed attempt. With {@code counts}, it uses up one of the partition's
   * {@code maxAttempts}; when they are gone the task set aborts.
   */
  Outcome failed(long taskId, boolean counts) {
    Running r = running.remove(taskId);
    if (r == null) {
      return Outcome.IGNORED;
    }
    stopped(r);
    if (done[r.index()]) {
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
    speculated[r.index()] = false;
    if (!zombie && copiesRunning[r.index()] == 0) {
      enqueue(r.index()); // with a copy still running, that copy carries on alone
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
    for (int index = 0; index < succeededOn.length; index++) {
      if (executor.equals(succeededOn[index])) {
        succeededOn[index] = null;
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
