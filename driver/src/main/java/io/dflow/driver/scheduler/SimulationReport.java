package io.dflow.driver.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link Simulation} measured: its own cost (wall time, and the part spent in the
 * scheduler), where the tasks ran, the makespan against a lower bound, and the slot time left
 * idle. Times on the simulated clock are in nanoseconds.
 *
 * @param tasksAtLevel successful tasks per {@link Locality}, by ordinal
 * @param idealNanos a lower bound of the makespan: the longest task, or the total task time over
 *     the slots, each slot counted at the best speed any task could have on it (see {@link Simulation})
 * @param slotNanos the slots times the makespan
 * @param busyNanos slot time spent running tasks
 * @param idleWhilePendingNanos slot time idle while some task had not been launched yet
 * @param lostAttempts attempts lost with their executors ({@link SimulationConfig.Loss}), run again
 * @param memory heap figures, or null when they were not measured
 */
public record SimulationReport(SimulationConfig config, long setupNanos, long eventsNanos, long schedulerNanos,
    long offers, long[] tasksAtLevel, long makespanNanos, long idealNanos, long slotNanos, long busyNanos,
    long idleWhilePendingNanos, long lostAttempts, Memory memory) {

  /** Heap in use (after a full collection) at three points of a run, in bytes. */
  public record Memory(long taskRecordsBytes, long schedulerBytes, long halfwayBytes) {}

  /** The share of successful tasks that ran at {@code level}. */
  public double share(Locality level) {
    long all = 0;
    for (long n : tasksAtLevel) {
      all += n;
    }
    return all == 0 ? 0 : (double) tasksAtLevel[level.ordinal()] / all;
  }

  public long idleNanos() {
    return slotNanos - busyNanos;
  }

  /** Makespan over the lower bound. */
  public double overIdeal() {
    return (double) makespanNanos / idealNanos;
  }

  /** The report as lines for people. */
  public String text() {
    SimulationConfig c = config;
    List<String> lines = new ArrayList<>();
    lines.add(f("cluster      %d nodes x %d slots = %d slots in %d racks", c.nodes(), c.slotsPerNode(),
        (long) c.nodes() * c.slotsPerNode(), c.racks()));
    lines.add(f("stage        %d tasks, %d replicas each, placement %s, durations %s ms", c.tasks(), c.replicas(),
        c.placement().spec(), c.durations().spec()));
    lines.add(f("policy       %s, wait %d ms per level; away from its data a task runs %sx (rack-local), %sx (any)",
        c.policy().spec(), c.waitMillis(), num(c.rackSlowdown()), num(c.anySlowdown())));
    lines.add(f("wall time    %.2f s (setup %.2f s, events %.2f s); in the scheduler %.2f s = %.2f us per task,"
        + " %d offers", (setupNanos + eventsNanos) / 1e9, setupNanos / 1e9, eventsNanos / 1e9, schedulerNanos / 1e9,
        schedulerNanos / 1e3 / c.tasks(), offers));
    StringBuilder levels = new StringBuilder("locality    ");
    for (Locality l : Locality.values()) {
      boolean always = l == Locality.NODE_LOCAL || l == Locality.RACK_LOCAL || l == Locality.ANY;
      if (always || tasksAtLevel[l.ordinal()] > 0) {
        levels.append(f(" %s %.2f%%", l.label(), 100 * share(l)));
      }
    }
    lines.add(levels.toString());
    boolean flat = c.rackSlowdown() == 1 && c.anySlowdown() == 1;
    lines.add(f("makespan     %.3f s; ideal %.3f s (%s): %.3fx", makespanNanos / 1e9, idealNanos / 1e9,
        flat ? "total task time / slots, or the longest task" : "total task time / slots at their best speed,"
            + " or the longest task", overIdeal()));
    lines.add(f("idle slots   %.2f%% of slot time over the makespan (%.0f slot-s); %.2f%% while tasks waited to"
        + " launch", pct(idleNanos()), idleNanos() / 1e9, pct(idleWhilePendingNanos)));
    if (c.loss().executors() > 0) {
      lines.add(f("lost         %d executors at %.3f s, with %d attempts, which ran again (their work counts as idle)",
          c.loss().executors(), c.loss().atMillis() / 1e3, lostAttempts));
    }
    if (memory != null) {
      lines.add(f("heap         task records %.0f MB; scheduler after submit %.0f MB; everything halfway %.0f MB",
          mb(memory.taskRecordsBytes), mb(memory.schedulerBytes), mb(memory.halfwayBytes)));
    }
    return String.join("\n", lines) + "\n";
  }

  /** The names of the columns of {@link #tsvRow}. */
  public static String tsvHeader() {
    return String.join("\t", "nodes", "slots", "racks", "tasks", "replicas", "placement", "durations", "policy",
        "wait_ms", "rack_slowdown", "any_slowdown", "wall_s", "setup_s", "events_s", "scheduler_s", "us_per_task",
        "offers", "node_local_pct", "rack_local_pct", "any_pct", "makespan_s", "ideal_s", "over_ideal", "idle_pct",
        "idle_pending_pct", "lost_executors", "lost_attempts", "records_mb", "scheduler_mb", "halfway_mb");
  }

  /** The report as one line of tab-separated values. */
  public String tsvRow() {
    SimulationConfig c = config;
    return String.join("\t", String.valueOf(c.nodes()), String.valueOf(c.slotsPerNode()), String.valueOf(c.racks()),
        String.valueOf(c.tasks()), String.valueOf(c.replicas()), c.placement().spec(), c.durations().spec(),
        c.policy().spec(), String.valueOf(c.waitMillis()), num(c.rackSlowdown()), num(c.anySlowdown()),
        f("%.3f", (setupNanos + eventsNanos) / 1e9), f("%.3f", setupNanos / 1e9), f("%.3f", eventsNanos / 1e9),
        f("%.3f", schedulerNanos / 1e9), f("%.3f", schedulerNanos / 1e3 / c.tasks()), String.valueOf(offers),
        f("%.3f", 100 * share(Locality.NODE_LOCAL)), f("%.3f", 100 * share(Locality.RACK_LOCAL)),
        f("%.3f", 100 * share(Locality.ANY)), f("%.3f", makespanNanos / 1e9), f("%.3f", idealNanos / 1e9),
        f("%.4f", overIdeal()), f("%.3f", pct(idleNanos())), f("%.3f", pct(idleWhilePendingNanos)),
        String.valueOf(c.loss().executors()), String.valueOf(lostAttempts),
        memory == null ? "" : f("%.0f", mb(memory.taskRecordsBytes)),
        memory == null ? "" : f("%.0f", mb(memory.schedulerBytes)),
        memory == null ? "" : f("%.0f", mb(memory.halfwayBytes)));
  }

  private double pct(long nanos) {
    return slotNanos == 0 ? 0 : 100.0 * nanos / slotNanos;
  }

  private static double mb(long bytes) {
    return bytes / 1e6;
  }

  private static String num(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
