package io.dflow.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.dflow.driver.scheduler.LocalityWaits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The warnings of a report, each saying what cost time and what to change: tasks too short to
 * be worth scheduling, a partition far larger than the median one (skew), stragglers, spills,
 * garbage collection over a tenth of task time, tasks that ran away from their data, slots left
 * idle while tasks waited for a place near their data, and lost executors. Thresholds are the constants below.
 */
public final class Advisor {
  /** A stage of fewer successful tasks than this is not judged for short tasks or stragglers. */
  public static final int MIN_TASKS = 8;
  /** A median task shorter than this costs more to schedule than it computes. */
  public static final long SHORT_TASK_MILLIS = 20;
  /** A task reading more than this many times the median task's bytes is skewed... */
  public static final int SKEW_FACTOR = 5;
  /** ...when it reads at least this much (a few stray kilobytes are not skew). */
  public static final long SKEW_MIN_BYTES = 1 << 20;
  /** A task running more than this many times the median task (not the first on its slot)... */
  public static final int STRAGGLER_FACTOR = 3;
  /** ...and at least this much longer is a straggler. */
  public static final long STRAGGLER_MIN_MILLIS = 1000;
  /** Garbage collection over this percentage of a stage's task time is too much... */
  public static final int GC_PERCENT = 10;
  /** ...when its tasks ran at least this long in all. */
  public static final long GC_MIN_TASK_MILLIS = 1000;
  /** More than this percentage of tasks with a preferred place that ran off it is a locality miss. */
  public static final int LOCALITY_MISS_PERCENT = 10;
  /** Idle slot time while a stage's tasks waited, at least this much... */
  public static final long LOCALITY_IDLE_MIN_MILLIS = 1000;
  /** ...and over this percentage of the stage's task time, is time lost to the locality wait. */
  public static final int LOCALITY_IDLE_PERCENT = 10;
  /** The most tasks a warning names. */
  static final int NAMED = 3;

  private Advisor() {}

  /**
   * The warnings for an application's stages, task attempts, executors and logged shuffle skews,
   * under its configuration {@code conf}.
   */
  public static List<Warning> warnings(List<StageReport> stages, List<TaskRun> tasks, List<AppReport.Executor> executors,
      List<JsonNode> shuffleSkews, Map<String, String> conf) {
    boolean waits = waitsForLocality(conf);
    List<Warning> out = new ArrayList<>();
    Set<Long> warmUps = firstOnEachSlot(tasks);
    for (StageReport s : stages) {
      List<TaskRun> ok = tasks.stream().filter(t -> t.stage() == s.stage() && t.stageAttempt() == s.attempt()
          && t.succeeded()).toList();
      tooShort(s, out);
      skew(s, ok, out);
      stragglers(s, ok.stream().filter(t -> !warmUps.contains(t.task())).toList(), out);
      spill(s, out);
      gc(s, out);
      locality(s, out);
      if (waits) {
        localityWait(s, tasks, executors, out);
      }
    }
    for (JsonNode k : shuffleSkews) {
      long median = k.path("medianBytes").asLong();
      out.add(new Warning("skew", k.path("stage").asInt(), String.format(Locale.ROOT,
          "%s wrote a skewed shuffle %s: partition %d holds %s, %s the median partition (%s)",
          k.path("label").asText(), k.path("shuffle").asText(), k.path("partition").asInt(),
          bytes(k.path("bytes").asLong()), times(k.path("bytes").asLong(), median), bytes(median)),
          "its reduce task takes the longest: more partitions (dflow.shuffle.partitions), or a key that spreads"
              + " better (salt a hot key, combine before the shuffle)"));
    }
    for (AppReport.Executor x : executors) {
      if (x.lostReason() != null) {
        long failed = tasks.stream().filter(t -> t.executor().equals(x.id()) && !t.succeeded()).count();
        out.add(new Warning("executor-lost", null, "executor " + x.id() + (x.host().isEmpty() ? "" : " on " + x.host())
            + " was lost: " + x.lostReason() + "; " + failed + " of its task attempts failed and ran again",
            "its log says why (the executor's logs/ folder); a JVM killed for memory needs more"
                + " dflow.executor.memory or fewer slots per executor"));
      }
    }
    return out;
  }

  private static void tooShort(StageReport s, List<Warning> out) {
    if (s.taskMillis() == null || s.succeeded() < MIN_TASKS || s.taskMillis().median() >= SHORT_TASK_MILLIS) {
      return;
    }
    out.add(new Warning("tasks-too-short", s.stage(), s.label() + ": its " + s.succeeded() + " tasks ran "
        + s.taskMillis().median() + " ms each (median): tasks too short, so scheduling them costs more than their"
        + " work", "fewer slices or bigger splits (dflow.parallelize.slicesPerSlot, numSlices, dflow.input.maxSplitBytes,"
        + " fewer dflow.shuffle.partitions)"));
  }

  private static void skew(StageReport s, List<TaskRun> ok, List<Warning> out) {
    if (ok.size() < 2) {
      return;
    }
    long median = median(ok.stream().map(TaskRun::bytesRead).toList());
    List<TaskRun> skewed = ok.stream().filter(t -> t.bytesRead() >= SKEW_MIN_BYTES
        && t.bytesRead() > SKEW_FACTOR * median).sorted(Comparator.comparingLong(TaskRun::bytesRead).reversed()).toList();
    if (skewed.isEmpty()) {
      return;
    }
    TaskRun top = skewed.get(0);
    out.add(new Warning("skew", s.stage(), String.format(Locale.ROOT,
        "%s: partition %d read %s, %s the median task's %s (%d skewed %s: %s)", s.label(), top.partition(),
        bytes(top.bytesRead()), times(top.bytesRead(), median), bytes(median), skewed.size(),
        skewed.size() == 1 ? "partition" : "partitions", partitions(skewed)),
        "a key range or input split holds most of the data: more partitions (dflow.shuffle.partitions), a key"
            + " that spreads better (salt a hot key, combine before the shuffle), or smaller splits"));
  }

  private static void stragglers(StageReport s, List<TaskRun> ok, List<Warning> out) {
    if (ok.size() < MIN_TASKS) {
      return;
    }
    long median = s.taskMillis().median();
    long medianBytes = median(ok.stream().map(TaskRun::bytesRead).toList());
    List<TaskRun> slow = ok.stream().filter(t -> t.runMillis() > STRAGGLER_FACTOR * median
        && t.runMillis() - median >= STRAGGLER_MIN_MILLIS && t.bytesRead() <= SKEW_FACTOR * Math.max(medianBytes, 1))
        .sorted(Comparator.comparingLong(TaskRun::runMillis).reversed()).toList();
    if (slow.isEmpty()) {
      return;
    }
    StringBuilder named = new StringBuilder();
    for (TaskRun t : slow.subList(0, Math.min(NAMED, slow.size()))) {
      named.append(named.length() == 0 ? "" : ", ").append("partition ").append(t.partition()).append(" ")
          .append(millis(t.runMillis())).append(" on executor ").append(t.executor());
    }
    out.add(new Warning("straggler", s.stage(), String.format(Locale.ROOT,
        "%s: %d %s ran over %dx the median task (%s) with no more input: %s%s", s.label(), slow.size(),
        slow.size() == 1 ? "task" : "tasks", STRAGGLER_FACTOR, millis(median), named,
        slow.size() > NAMED ? ", ..." : ""),
        "look at the executor's host (a slow disk, a busy machine, garbage collection) or at records that cost"
            + " more than others to compute"));
  }

  /**
   * The first attempt on each timeline lane: it ran in a JVM still loading classes and compiling,
   * so it is not judged as a straggler.
   */
  private static Set<Long> firstOnEachSlot(List<TaskRun> tasks) {
    Map<String, TaskRun> first = new HashMap<>();
    for (TaskRun t : tasks) {
      first.merge(t.executor() + "/" + t.lane(), t, (a, b) -> b.startMillis() < a.startMillis() ? b : a);
    }
    Set<Long> out = new HashSet<>();
    first.values().forEach(t -> out.add(t.task()));
    return out;
  }

  /**
   * Spilling what a stage shuffles once is an external sort doing its work, as Hadoop's map tasks
   * do, and costs little; spilling more than the stage shuffled means records went to disk and
   * back more than once.
   */
  private static void spill(StageReport s, List<Warning> out) {
    long shuffled = Math.max(s.shuffleBytesWritten(), s.shuffleBytesRead());
    if (s.spillBytes() <= shuffled) {
      return;
    }
    out.add(new Warning("spill", s.stage(), s.label() + ": its tasks spilled " + bytes(s.spillBytes()) + " to disk in "
        + s.spills() + (s.spills() == 1 ? " spill" : " spills") + ", more than the " + bytes(shuffled)
        + " it shuffled: records were written and read again more than once",
        "give tasks more memory (dflow.task.memoryBytes, dflow.executor.memory) or use more partitions so each"
            + " sorts less"));
  }

  private static void gc(StageReport s, List<Warning> out) {
    if (s.taskMillisTotal() < GC_MIN_TASK_MILLIS || s.gcMillis() * 100 <= GC_PERCENT * s.taskMillisTotal()) {
      return;
    }
    out.add(new Warning("gc", s.stage(), String.format(Locale.ROOT,
        "%s: garbage collection took %d%% of its tasks' time (%s of %s)", s.label(),
        Math.round(100.0 * s.gcMillis() / s.taskMillisTotal()), millis(s.gcMillis()), millis(s.taskMillisTotal())),
        "more executor memory (dflow.executor.memory), fewer slots per executor, or fewer objects kept per record"));
  }

  private static void locality(StageReport s, List<Warning> out) {
    int preferred = 0;
    int missed = 0;
    for (var e : s.locality().entrySet()) {
      if (!e.getKey().equals("NO_PREF")) {
        preferred += e.getValue();
      }
      if (e.getKey().equals("RACK_LOCAL") || e.getKey().equals("ANY")) {
        missed += e.getValue();
      }
    }
    if (missed == 0 || missed * 100 <= LOCALITY_MISS_PERCENT * preferred) {
      return;
    }
    out.add(new Warning("locality", s.stage(), String.format(Locale.ROOT,
        "%s: %d of its %d tasks with a preferred place ran away from their data (rack-local or any), reading it"
            + " over the network", s.label(), missed, preferred),
        "the hosts with their data had no free slot within dflow.locality.wait: raise it, or run executors on"
            + " the hosts that hold the input"));
  }

  private static void localityWait(StageReport s, List<TaskRun> tasks, List<AppReport.Executor> executors,
      List<Warning> out) {
    boolean preferred = s.locality().keySet().stream().anyMatch(level -> !level.equals("NO_PREF"));
    if (!preferred || s.submittedMillis() < 0) {
      return;
    }
    List<TaskRun> mine = tasks.stream().filter(t -> t.stage() == s.stage() && t.stageAttempt() == s.attempt()).toList();
    long idle = IdleSlots.whileWaiting(s.submittedMillis(), mine, tasks, executors);
    if (idle < LOCALITY_IDLE_MIN_MILLIS || idle * 100 <= LOCALITY_IDLE_PERCENT * s.taskMillisTotal()) {
      return;
    }
    out.add(new Warning("locality-wait", s.stage(), String.format(Locale.ROOT,
        "%s: task slots sat idle for %s (slot time, %d%% of its tasks' time) while its tasks waited for a slot"
            + " near their data", s.label(), millis(idle), Math.round(100.0 * idle / Math.max(1, s.taskMillisTotal()))),
        "lower dflow.locality.wait (0 takes any free slot at once) when reading over the network costs less than"
            + " waiting, or run executors on the hosts that hold the input"));
  }

  /** Whether any locality wait of {@code conf} is above 0 (the default is 3 s). */
  private static boolean waitsForLocality(Map<String, String> conf) {
    try {
      LocalityWaits w = LocalityWaits.from(conf);
      return w.processNanos() > 0 || w.nodeNanos() > 0 || w.rackNanos() > 0;
    } catch (IllegalArgumentException e) {
      return true; // a log of a version whose settings read otherwise: judge by the default
    }
  }

  static long median(List<Long> values) {
    Quantiles q = Quantiles.of(values);
    return q == null ? 0 : q.median();
  }

  private static String partitions(List<TaskRun> tasks) {
    StringBuilder b = new StringBuilder();
    for (TaskRun t : tasks.subList(0, Math.min(NAMED, tasks.size()))) {
      b.append(b.length() == 0 ? "" : ", ").append(t.partition());
    }
    return b + (tasks.size() > NAMED ? ", ..." : "");
  }

  private static String times(long value, long median) {
    return median == 0 ? "far more than" : String.format(Locale.ROOT, "%.1fx", (double) value / median);
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String units = "KMGTPE";
    int u = (63 - Long.numberOfLeadingZeros(n)) / 10;
    return String.format(Locale.ROOT, "%.1f %siB", n / Math.pow(1024, u), units.charAt(u - 1));
  }

  static String millis(long ms) {
    return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
