package io.dflow.driver.scheduler;

import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.LaunchTasks;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.StageAttemptId;
import io.dflow.executor.protocol.StageId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one stage on a simulated cluster through the scheduler's own placement code: a real
 * {@link TaskScheduler} offers the slots of simulated executors to a real {@link TaskSetManager}
 * whose tasks are built directly as {@link TaskSetManager.Task} records with preferred hosts (no
 * plan, no inputs: the {@link DagScheduler} is not involved, so its cost is not measured). Time
 * is an event queue of task ends: each round ends the attempts due, offers the freed slots, and
 * starts what was launched; with nothing due, the clock jumps to the scheduler's next wake.
 *
 * <p>A task's time where its data is comes from the configured distribution (drawn once per
 * task from the seed, so every policy runs the same tasks); rack-local and other tasks take that
 * times the configured slowdowns. The ideal makespan is a lower bound: no slot can do more than
 * the makespan of work at its best speed (1 on a host holding some replica, the rack slowdown in
 * a rack holding one, else the any slowdown), and no schedule beats the longest task.
 */
public final class Simulation {
  private final SimulationConfig config;
  private final MutableClock clock = new MutableClock();
  private final TaskScheduler scheduler;
  private final TaskSetManager stage;
  private final SimulatedExecutor[] executors;
  private final String[] hosts;
  /** Each task's replica hosts, by host index: {@code replicas} entries per task. */
  private final int[] replicaHosts;
  private final SimulationEndQueue<End> ends = new SimulationEndQueue<>();
  /** Launches the last offer sent, in order: the simulated executors start them after it returns. */
  private final List<Sent> sent = new ArrayList<>();
  private final boolean measureMemory;
  private SimulationReport.Memory memory;
  private long setupNanos;
  /**
   * Per task: attempts that ended; of the last attempt, its executor, its level (by ordinal) as
   * the scheduler said, and when it started.
   */
  final byte[] runs;
  final int[] ranOn;
  final byte[] levels;
  final long[] startedAt;
  /** The share of attempts that fail (drawn from their ids), each put back to pending; 0 in runs from the command line. */
  private double failureRate;
  private int launched;
  private int running;
  private long lostAttempts;

  /** A launch sent to an executor, to start when it has a free slot. */
  private record Sent(SimulatedExecutor executor, TaskLaunch launch) {}

  /** A running attempt, which ends after {@code runNanos}. */
  private record End(long taskId, int partition, SimulatedExecutor executor, long runNanos) {}

  /**
   * Runs the stage {@code config} describes. With {@code measureMemory} it also measures the heap,
   * after full collections that are left out of the times reported.
   */
  public static SimulationReport run(SimulationConfig config, boolean measureMemory) {
    return new Simulation(config, false, measureMemory).run();
  }

  /**
   * Sets the run up: executors added, the stage submitted, nothing offered yet.
   *
   * @param everyExecutor make each offer look at every executor, as a reference for the
   *     scheduler's way of looking only at those that may take something new
   */
  Simulation(SimulationConfig config, boolean everyExecutor, boolean measureMemory) {
    this.config = config;
    this.measureMemory = measureMemory;
    long base = measureMemory ? heapUsed() : 0;
    long start = System.nanoTime();
    int n = config.nodes();
    hosts = new String[n];
    Map<String, String> racks = new HashMap<>(2 * n);
    for (int i = 0; i < n; i++) {
      hosts[i] = "node-" + i;
      racks.put(hosts[i], "rack-" + config.rackOf(i));
    }
    Topology topology = host -> racks.getOrDefault(host, Topology.DEFAULT_RACK);
    replicaHosts = placeReplicas();
    List<TaskSetManager.Task> tasks = new ArrayList<>(config.tasks());
    for (int t = 0; t < config.tasks(); t++) {
      String[] preferred = new String[config.replicas()];
      for (int r = 0; r < preferred.length; r++) {
        preferred[r] = hosts[replicaHosts[t * config.replicas() + r]];
      }
      tasks.add(new TaskSetManager.Task(t, null, Set.of(), List.of(preferred), List.of()));
    }
    runs = new byte[config.tasks()];
    ranOn = new int[config.tasks()];
    levels = new byte[config.tasks()];
    startedAt = new long[config.tasks()];
    long records = 0;
    if (measureMemory) {
      setupNanos += System.nanoTime() - start;
      records = heapUsed() - base;
      start = System.nanoTime();
    }
    scheduler = new TaskScheduler(GangLauncher.NONE, clock, topology, SimulationTimers.of(config.policy()));
    if (everyExecutor) {
      scheduler.lookAtEveryExecutor();
    }
    executors = new SimulatedExecutor[n];
    for (int i = 0; i < n; i++) {
      executors[i] = new SimulatedExecutor(i);
      scheduler.addExecutor(executors[i]);
    }
    long wait = TimeUnit.MILLISECONDS.toNanos(config.waitMillis());
    StageAttemptId id = new StageAttemptId(new StageId(0), 0);
    RegisterStage registration = new RegisterStage(id, "simulated", Map.of(), null, null, Map.of(), null);
    stage = new TaskSetManager(id, null, registration, tasks, Integer.MAX_VALUE, 0, clock.nanoTime(), false, topology,
        new LocalityWaits(wait, wait, wait));
    tasks = null; // the task set holds them now
    scheduler.submit(stage);
    setupNanos += System.nanoTime() - start;
    if (measureMemory) {
      memory = new SimulationReport.Memory(records, heapUsed() - base - records, 0);
    }
  }

  /** Each task's replicas: distinct hosts drawn from all of them, or from the hot ones. */
  private int[] placeReplicas() {
    SplittableRandom random = new SplittableRandom(config.seed());
    int from = config.placement().hostsUsed(config.nodes());
    int k = config.replicas();
    int[] out = new int[config.tasks() * k];
    for (int t = 0; t < config.tasks(); t++) {
      for (int r = 0; r < k; r++) {
        int h;
        boolean again;
        do {
          h = random.nextInt(from);
          again = false;
          for (int p = 0; p < r; p++) {
            again |= out[t * k + p] == h;
          }
        } while (again);
        out[t * k + r] = h;
      }
    }
    return out;
  }

  /** Runs the stage to its end. */
  SimulationReport run() {
    long start = System.nanoTime();
    long schedulerNanos = 0;
    long offers = 0;
    long busy = 0;
    long idleWhilePending = 0;
    long[] atLevel = new long[Locality.values().length];
    long totalSlots = (long) config.nodes() * config.slotsPerNode();
    long slotNanos = 0;
    long lossAt = config.loss().executors() > 0 ? TimeUnit.MILLISECONDS.toNanos(config.loss().atMillis())
        : Long.MAX_VALUE;
    int done = 0;
    boolean halfway = false;
    List<End> due = new ArrayList<>();

    long t0 = System.nanoTime();
    scheduler.offer();
    schedulerNanos += System.nanoTime() - t0;
    offers++;
    startSent();
    while (!stage.isFinished()) {
      long next = Math.min(Math.min(ends.isEmpty() ? Long.MAX_VALUE : ends.firstAt(), scheduler.nextWakeNanos()),
          lossAt);
      if (next == Long.MAX_VALUE) {
        throw new IllegalStateException("the simulation is stuck at " + clock.now + " ns: " + (config.tasks() - done)
            + " tasks not done, none running and no wake-up due");
      }
      if (next <= clock.now) { // every end due now was handled: only a wake-up can be this early
        throw new IllegalStateException("the scheduler asked to be woken at " + next + " ns, not after the offer"
            + " it made at " + clock.now + " ns");
      }
      long idle = (totalSlots - running) * (next - clock.now);
      slotNanos += totalSlots * (next - clock.now);
      if (launched < config.tasks()) {
        idleWhilePending += idle;
      }
      clock.now = next;
      t0 = System.nanoTime();
      if (next == lossAt) {
        totalSlots -= loseExecutors();
        lossAt = Long.MAX_VALUE;
      }
      schedulerNanos += System.nanoTime() - t0;
      due.clear();
      while (!ends.isEmpty() && ends.firstAt() == next) {
        End e = ends.poll();
        if (e.executor().lost) {
          continue; // its attempt went back to pending when the executor was lost
        }
        due.add(e);
        busy += e.runNanos();
        running--;
        e.executor().running--;
        startQueued(e.executor());
      }
      t0 = System.nanoTime();
      for (End e : due) {
        TaskScheduler.Launched l = scheduler.ended(e.taskId());
        if (fails(e.taskId())) {
          stage.failed(e.taskId(), true);
          launched--; // pending again
        } else if (stage.succeeded(e.taskId(), TimeUnit.NANOSECONDS.toMillis(e.runNanos())) >= 0) {
          atLevel[l.level().ordinal()]++;
          done++;
        }
      }
      if (stage.isFinished()) {
        scheduler.remove(stage);
      }
      scheduler.offer();
      schedulerNanos += System.nanoTime() - t0;
      offers++;
      for (End e : due) {
        runs[e.partition()]++;
      }
      startSent();
      if (measureMemory && !halfway && done >= config.tasks() / 2) {
        halfway = true;
        long paused = System.nanoTime();
        memory = new SimulationReport.Memory(memory.taskRecordsBytes(), memory.schedulerBytes(), heapUsed());
        start += System.nanoTime() - paused;
      }
    }
    long eventsNanos = System.nanoTime() - start;
    long makespan = clock.now;
    return new SimulationReport(config, setupNanos, eventsNanos, schedulerNanos, offers, atLevel, makespan,
        idealNanos(), slotNanos, busy, idleWhilePending, lostAttempts, memory);
  }

  /**
   * Loses the configured executors, drawn from the seed, as the driver does when they die: the
   * scheduler forgets them and their attempts go back to pending. Returns the slots lost.
   */
  private long loseExecutors() {
    int[] order = new int[executors.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    Set<ExecutorId> ids = new java.util.HashSet<>();
    long slots = 0;
    for (int i = 0; i < config.loss().executors(); i++) {
      int j = i + random.nextInt(order.length - i);
      int pick = order[j];
      order[j] = order[i];
      SimulatedExecutor e = executors[pick];
      e.lost = true;
      running -= e.running;
      e.running = 0;
      e.queued.clear();
      slots += e.slots();
      ids.add(e.id());
    }
    for (long taskId : scheduler.removeExecutors(ids)) {
      scheduler.forget(taskId);
      stage.failed(taskId, false);
      launched--;
      lostAttempts++;
    }
    return slots;
  }

  /** Whether executor {@code index} was lost. */
  boolean lost(int index) {
    return executors[index].lost;
  }

  /** Starts the launches the last offer sent, each at once or after the executor's running tasks. */
  private void startSent() {
    for (Sent s : sent) {
      launched++;
      if (s.executor().running < config.slotsPerNode()) {
        start(s.executor(), s.launch());
      } else {
        s.executor().queued.add(s.launch());
      }
    }
    sent.clear();
  }

  private void startQueued(SimulatedExecutor e) {
    TaskLaunch next = e.queued.poll();
    if (next != null) {
      start(e, next);
    }
  }

  private void start(SimulatedExecutor e, TaskLaunch launch) {
    long taskId = launch.attempt().taskId();
    int partition = launch.attempt().partition();
    Locality level = scheduler.launched(taskId).level();
    double slowdown = switch (level) {
      case RACK_LOCAL -> config.rackSlowdown();
      case ANY -> config.anySlowdown();
      default -> 1;
    };
    long runNanos = Math.max(1, Math.round(localNanos(partition) * slowdown));
    ranOn[partition] = e.index;
    startedAt[partition] = clock.now;
    levels[partition] = (byte) level.ordinal();
    e.running++;
    running++;
    ends.add(clock.now + runNanos, taskId, new End(taskId, partition, e, runNanos));
  }

  /** Makes a share of attempts fail, to exercise tasks going back to pending. */
  void failSome(double rate) {
    failureRate = rate;
  }

  private boolean fails(long taskId) {
    return failureRate > 0 && (mix(config.seed() ^ ~taskId) >>> 11) * 0x1.0p-53 < failureRate;
  }

  /** How long task {@code partition} runs where its data is: the same for every policy of one seed. */
  long localNanos(int partition) {
    long bits = mix(config.seed() * 0x9E3779B97F4A7C15L + partition + 1);
    double unit = (bits >>> 11) * 0x1.0p-53;
    return Math.max(1, Math.round(config.durations().millis(unit) * 1e6));
  }

  /** SplitMix64's finaliser: a well-spread 64-bit hash. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The lower bound of the makespan described in the class comment. */
  long idealNanos() {
    double longest = 0;
    double work = 0;
    for (int t = 0; t < config.tasks(); t++) {
      long d = localNanos(t);
      work += d;
      longest = Math.max(longest, d);
    }
    boolean[] holds = new boolean[config.nodes()];
    boolean[] rackHolds = new boolean[config.racks()];
    for (int h : replicaHosts) {
      holds[h] = true;
      rackHolds[config.rackOf(h)] = true;
    }
    double speed = 0;
    for (int i = 0; i < config.nodes(); i++) {
      double slowdown = holds[i] ? 1 : rackHolds[config.rackOf(i)] ? config.rackSlowdown() : config.anySlowdown();
      speed += config.slotsPerNode() / slowdown;
    }
    return (long) Math.ceil(Math.max(longest, work / speed));
  }

  /** The hosts of task {@code partition}'s replicas. */
  List<String> preferredHosts(int partition) {
    return stage.task(partition).preferredHosts();
  }

  String host(int executor) {
    return hosts[executor];
  }

  private static long heapUsed() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /** The simulated clock: it moves only when the run says so. */
  private static final class MutableClock implements Clock {
    long now;

    @Override
    public long nanoTime() {
      return now;
    }
  }

  /** An executor on host {@code node-<index>} that runs its tasks in simulated time. */
  private final class SimulatedExecutor implements ExecutorHandle {
    final int index;
    private final ExecutorId id;
    int running;
    boolean lost;
    /** Tasks sent ahead of a free slot (short tasks), started as running ones end. */
    final ArrayDeque<TaskLaunch> queued = new ArrayDeque<>();

    SimulatedExecutor(int index) {
      this.index = index;
      this.id = new ExecutorId("executor-" + index);
    }

    @Override
    public ExecutorId id() {
      return id;
    }

    @Override
    public String host() {
      return hosts[index];
    }

    @Override
    public String address() {
      return host();
    }

    @Override
    public int port() {
      return 0;
    }

    @Override
    public int slots() {
      return config.slotsPerNode();
    }

    @Override
    public void send(ControlMessage message) {
      if (message instanceof LaunchTasks l) {
        for (TaskLaunch t : l.tasks()) {
          sent.add(new Sent(this, t));
        }
      }
    }
  }
}
