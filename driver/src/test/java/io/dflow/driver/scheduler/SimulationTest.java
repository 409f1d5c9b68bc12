package io.dflow.driver.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.driver.scheduler.SimulationConfig.Durations;
import io.dflow.driver.scheduler.SimulationConfig.Placement;
import io.dflow.driver.scheduler.SimulationConfig.Policy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator on small clusters with fixed seeds, checked against what is computed here on
 * its own: every task runs exactly once and at the level its hosts and racks say; the makespan
 * never beats the lower bound; offers that look only at candidate executors launch exactly what
 * offers over every executor launch; and the policies behave as they are meant to, on spread
 * data and on data held by a few hosts (SPARK-18886).
 */
class SimulationTest {
  private static final long SECOND = 1_000_000_000L;

  private static SimulationConfig config(int nodes, int slots, int racks, int tasks, String durations, long waitMillis,
      Placement placement, Policy policy) {
    return new SimulationConfig(nodes, slots, racks, tasks, 3, Durations.parse(durations), waitMillis, 7, placement,
        policy, 1, 1);
  }

  private static SimulationConfig uniform(long waitMillis) {
    return config(40, 4, 5, 2000, "uniform:100,900", waitMillis, Placement.UNIFORM, Policy.PER_SLOT);
  }

  /** The level task {@code t} ran at, from its hosts, their racks and where it ran. */
  private static Locality expectedLevel(Simulation sim, SimulationConfig c, int t) {
    int node = sim.ranOn[t];
    List<String> hosts = sim.preferredHosts(t);
    if (hosts.contains(sim.host(node))) {
      return Locality.NODE_LOCAL;
    }
    for (String h : hosts) {
      if (c.rackOf(Integer.parseInt(h.substring("node-".length()))) == c.rackOf(node)) {
        return Locality.RACK_LOCAL;
      }
    }
    return Locality.ANY;
  }

  @Test
  void everyTaskRunsExactlyOnceAtTheLevelItsHostsAndRacksSay() {
    for (long wait : new long[] {0, 300, 3000}) {
      SimulationConfig c = uniform(wait);
      Simulation sim = new Simulation(c, false, false);
      SimulationReport r = sim.run();
      long[] counted = new long[Locality.values().length];
      for (int t = 0; t < c.tasks(); t++) {
        assertEquals(1, sim.runs[t], "task " + t + " with wait " + wait);
        Locality level = expectedLevel(sim, c, t);
        assertEquals(level.ordinal(), sim.levels[t], "task " + t + " on " + sim.host(sim.ranOn[t]));
        counted[level.ordinal()]++;
      }
      assertArrayEquals(counted, r.tasksAtLevel());
    }
  }

  @Test
  void theMakespanNeverBeatsTheLowerBoundComputedHere() {
    SimulationConfig c = uniform(3000);
    Simulation sim = new Simulation(c, false, false);
    SimulationReport r = sim.run();
    long work = 0;
    long longest = 0;
    long latestEnd = 0;
    for (int t = 0; t < c.tasks(); t++) {
      long d = sim.localNanos(t);
      work += d;
      longest = Math.max(longest, d);
      latestEnd = Math.max(latestEnd, sim.startedAt[t] + d); // every task ran where its data is
    }
    long slots = (long) c.nodes() * c.slotsPerNode();
    assertEquals(1.0, r.share(Locality.NODE_LOCAL), "waits longer than any task: all node-local");
    assertEquals((double) Math.max(longest, (long) Math.ceil((double) work / slots)), (double) r.idealNanos(), 2.0);
    assertEquals(latestEnd, r.makespanNanos());
    assertTrue(r.makespanNanos() >= r.idealNanos());
    assertEquals(work, r.busyNanos());
    assertEquals(slots * r.makespanNanos() - work, r.idleNanos());
  }

  @Test
  void longWaitsOnEveryDataHostGiveOnlyNodeLocalTasks() {
    SimulationReport r = Simulation.run(uniform(1_000_000_000L), false);
    assertEquals(1.0, r.share(Locality.NODE_LOCAL));
  }

  @Test
  void withNoWaitNoSlotIdlesWhileATaskWaits() {
    SimulationReport r = Simulation.run(config(40, 4, 5, 2000, "uniform:100,900", 0, new Placement(3),
        Policy.PER_SLOT), false);
    assertEquals(0, r.idleWhilePendingNanos());
    assertTrue(r.share(Locality.ANY) > 0.8, "3 hosts of 40 hold the data: most tasks run elsewhere");
  }

  /**
   * Offers look at the executors whose slots were freed, were just added or whose wait ended,
   * and at all of them only when tasks or levels changed; offers over every executor, as before,
   * must launch the same tasks at the same times on the same executors.
   */
  @Test
  void offersToCandidatesLaunchWhatOffersToEveryExecutorLaunch() {
    List<SimulationConfig> configs = new ArrayList<>();
    for (Policy policy : Policy.values()) {
      for (long wait : new long[] {0, 200, 3000}) {
        configs.add(config(30, 3, 4, 1500, "exp:400", wait, Placement.UNIFORM, policy));
        configs.add(config(30, 3, 4, 1500, "uniform:100,500", wait, new Placement(4), policy));
      }
    }
    configs.add(config(12, 2, 3, 3000, "uniform:1,6", 100, Placement.UNIFORM, Policy.PER_SLOT)); // short: sent ahead
    for (SimulationConfig c : configs) {
      for (double failures : new double[] {0, 0.1}) {
        Simulation candidates = new Simulation(c, false, false);
        Simulation everyone = new Simulation(c, true, false);
        candidates.failSome(failures);
        everyone.failSome(failures);
        SimulationReport a = candidates.run();
        SimulationReport b = everyone.run();
        String what = c + " failing " + failures;
        assertArrayEquals(everyone.ranOn, candidates.ranOn, what);
        assertArrayEquals(everyone.startedAt, candidates.startedAt, what);
        assertArrayEquals(everyone.runs, candidates.runs, what);
        assertEquals(b.makespanNanos(), a.makespanNanos(), what);
        if (failures > 0) {
          int retried = 0;
          for (byte n : candidates.runs) {
            retried += n > 1 ? 1 : 0;
          }
          assertTrue(retried > 0, "some tasks ran again: " + what);
        }
      }
    }
  }

  /**
   * dflow's wait is the slot's own: a slot free at f takes a task by f plus the waits through
   * every level whenever some task is still pending then, however often other slots launch.
   */
  @Test
  void aFreeSlotWaitsNoLongerThanItsWaitsWhileTasksArePending() {
    long waitMillis = 500;
    for (Placement placement : List.of(Placement.UNIFORM, new Placement(3))) {
      SimulationConfig c = config(30, 1, 3, 900, "uniform:50,400", waitMillis, placement, Policy.PER_SLOT);
      Simulation sim = new Simulation(c, false, false);
      sim.run();
      long allLevels = 2 * waitMillis * 1_000_000; // node, then rack
      List<List<Integer>> byNode = new ArrayList<>();
      for (int n = 0; n < c.nodes(); n++) {
        byNode.add(new ArrayList<>());
      }
      long lastStart = 0;
      for (int t = 0; t < c.tasks(); t++) {
        byNode.get(sim.ranOn[t]).add(t);
        lastStart = Math.max(lastStart, sim.startedAt[t]);
      }
      for (int n = 0; n < c.nodes(); n++) {
        List<Integer> ran = byNode.get(n);
        ran.sort((x, y) -> Long.compare(sim.startedAt[x], sim.startedAt[y]));
        long freeSince = 0;
        for (int t : ran) {
          assertTrue(sim.startedAt[t] - freeSince <= allLevels, "node-" + n + " idled from " + freeSince);
          freeSince = sim.startedAt[t] + sim.localNanos(t) * 1; // slowdowns are 1
        }
        assertTrue(lastStart <= freeSince + allLevels,
            "node-" + n + " free since " + freeSince + " took nothing though a task started at " + lastStart);
      }
    }
  }

  @Test
  void dataOnAFewHostsFinishesWithinTheWaitsAndTheIdealWhenTheTasksFitTheSlots() {
    // 3 of 20 hosts hold every replica; 40 tasks for 40 slots: the other slots wait 3 s (node),
    // those in the hot hosts' rack take rack-local tasks, the rest wait 3 s more and take any
    SimulationConfig c = config(20, 2, 4, 40, "fixed:5000", 3000, new Placement(3), Policy.PER_SLOT);
    SimulationReport r = Simulation.run(c, false);
    assertEquals(5 * SECOND, r.idealNanos(), "one 5 s task per slot");
    assertTrue(r.makespanNanos() <= 2 * 3 * SECOND + r.idealNanos(), String.valueOf(r.makespanNanos()));
    assertTrue(r.share(Locality.RACK_LOCAL) > 0 && r.share(Locality.ANY) > 0, r.text());
  }

  @Test
  void aTimerRestartedByEveryLaunchStarvesTheOtherSlotsWhileTheWaitPerSlotDoesNot() {
    // SPARK-18886: with Spark's old timer the hot hosts' steady launches keep every other slot waiting
    SimulationConfig c = config(40, 2, 4, 2000, "uniform:1000,3000", 3000, new Placement(3), Policy.SPARK_RESET);
    SimulationReport spark = Simulation.run(c, false);
    SimulationReport forever = Simulation.run(config(40, 2, 4, 2000, "uniform:1000,3000", 1_000_000_000L,
        new Placement(3), Policy.PER_SLOT), false);
    SimulationReport perSlot = Simulation.run(config(40, 2, 4, 2000, "uniform:1000,3000", 3000, new Placement(3),
        Policy.RESTART), false);
    SimulationReport noWait = Simulation.run(config(40, 2, 4, 2000, "uniform:1000,3000", 0, new Placement(3),
        Policy.PER_SLOT), false);
    assertEquals(1.0, spark.share(Locality.NODE_LOCAL));
    assertEquals(forever.makespanNanos(), spark.makespanNanos(), "as if it waited forever");
    assertTrue(perSlot.makespanNanos() * 3 < spark.makespanNanos(), perSlot.text() + spark.text());
    assertTrue(perSlot.makespanNanos() > 2 * noWait.makespanNanos(),
        "each slot waits 6 s again after every 2 s task: " + perSlot.text() + noWait.text());
  }

  @Test
  void keepingTheLevelReachedSavesTheRepeatedWaitsOnDataHeldByAFewHosts() {
    SimulationConfig perSlot = config(40, 2, 4, 4000, "uniform:1000,3000", 3000, new Placement(3), Policy.RESTART);
    SimulationConfig keep = config(40, 2, 4, 4000, "uniform:1000,3000", 3000, new Placement(3), Policy.PER_SLOT);
    SimulationConfig none = config(40, 2, 4, 4000, "uniform:1000,3000", 0, new Placement(3), Policy.PER_SLOT);
    long waiting = Simulation.run(perSlot, false).makespanNanos();
    long keeping = Simulation.run(keep, false).makespanNanos();
    long noWait = Simulation.run(none, false).makespanNanos();
    assertTrue(keeping <= noWait + 6 * SECOND + SECOND, keeping + " vs " + noWait);
    assertTrue(keeping < waiting / 2, keeping + " vs " + waiting);
    SimulationReport spread = Simulation.run(config(40, 4, 5, 2000, "uniform:100,900", 3000, Placement.UNIFORM,
        Policy.RESTART), false);
    assertEquals(Simulation.run(uniform(3000), false).makespanNanos(), spread.makespanNanos(),
        "on spread data no slot runs out of local tasks before its wait ends: the same schedule");
  }

  @Test
  void aWaitThatCannotPayOffIsSkippedWhenTheDataSitsOnAFewHosts() {
    // 3 of 40 hosts hold every replica of 4000 tasks: their 6 slots could never start the
    // pending tasks within a wait, so the other slots take them at once after the first success
    SimulationConfig skip = config(40, 2, 4, 4000, "uniform:1000,3000", 3000, new Placement(3), Policy.PER_SLOT);
    SimulationConfig through = config(40, 2, 4, 4000, "uniform:1000,3000", 3000, new Placement(3),
        Policy.WAIT_THROUGH);
    SimulationConfig none = config(40, 2, 4, 4000, "uniform:1000,3000", 0, new Placement(3), Policy.PER_SLOT);
    long skipping = Simulation.run(skip, false).makespanNanos();
    long waiting = Simulation.run(through, false).makespanNanos();
    long noWait = Simulation.run(none, false).makespanNanos();
    assertTrue(skipping <= noWait * 1.03, "within a few percent of no wait: " + skipping + " vs " + noWait);
    assertTrue(waiting - skipping >= 3 * SECOND, "waiting through the levels costs a wait: " + waiting + " vs "
        + skipping);
    assertEquals(Simulation.run(uniform(3000), false).makespanNanos(),
        Simulation.run(config(40, 4, 5, 2000, "uniform:100,900", 3000, Placement.UNIFORM, Policy.WAIT_THROUGH),
            false).makespanNanos(),
        "on spread data the local slots can start what waits for them: nothing is skipped");
  }

  @Test
  void executorsLostMidStageHaveTheirAttemptsRunAgainElsewhere() {
    SimulationConfig base = config(20, 2, 4, 400, "uniform:100,900", 3000, Placement.UNIFORM, Policy.PER_SLOT);
    SimulationConfig c = new SimulationConfig(20, 2, 4, 400, 3, Durations.parse("uniform:100,900"), 3000, 7,
        Placement.UNIFORM, Policy.PER_SLOT, 1, 1, new SimulationConfig.Loss(5, 1500));
    Simulation sim = new Simulation(c, false, false);
    SimulationReport r = sim.run();
    List<Integer> lost = new ArrayList<>();
    for (int e = 0; e < 20; e++) {
      if (sim.lost(e)) {
        lost.add(e);
      }
    }
    assertEquals(5, lost.size(), "the executors lost: " + lost);
    assertTrue(r.lostAttempts() >= 5, "each lost executor had 2 slots busy at 1.5 s: " + r.lostAttempts());
    long lossAt = 1500 * 1_000_000L;
    for (int t = 0; t < 400; t++) {
      assertTrue(sim.runs[t] >= 1, "task " + t + " ran to its end");
      if (lost.contains(sim.ranOn[t])) {
        assertTrue(sim.startedAt[t] + sim.localNanos(t) <= lossAt,
            "task " + t + " ran on lost executor " + sim.ranOn[t] + " only if it ended before the loss");
      }
    }
    long successes = 0;
    for (long n : r.tasksAtLevel()) {
      successes += n;
    }
    assertEquals(400, successes, "every task succeeded once");
    assertTrue(r.makespanNanos() >= Simulation.run(base, false).makespanNanos(), "a quarter of the slots fewer");
  }
}
