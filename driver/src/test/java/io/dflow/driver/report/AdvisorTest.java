package io.dflow.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The report of an event log written here line by line: per-stage sums and quantiles against
 * sums computed from the same tasks, and each warning firing for the stage built to cause it and
 * for no other.
 */
class AdvisorTest {
  @Test
  void spillingWhatAStageShuffledOnceIsAnExternalSortNotAWarning() {
    SyntheticLog once = new SyntheticLog("SpillsOnce");
    once.stage(0, 4, i -> {
      ObjectNode m = once.metrics(200, SyntheticLog.MIB, 3 * SyntheticLog.MIB, 0, "NO_PREF");
      return m.put("shuffleBytesWritten", 4 * SyntheticLog.MIB);
    });
    assertEquals(List.of(), AppReport.of(once.events).warnings(), "3 MiB spilled of the 4 MiB each task wrote");
    SyntheticLog twice = new SyntheticLog("SpillsTwice");
    twice.stage(0, 4, i -> {
      ObjectNode m = twice.metrics(200, SyntheticLog.MIB, 9 * SyntheticLog.MIB, 0, "NO_PREF");
      return m.put("shuffleBytesRead", 4 * SyntheticLog.MIB);
    });
    List<Warning> warned = AppReport.of(twice.events).warnings();
    assertEquals(List.of("spill"), warned.stream().map(Warning::kind).toList());
    assertTrue(warned.get(0).message().contains("spilled 36.0 MiB to disk in 4 spills, more than the 16.0 MiB it"
        + " shuffled"), warned.get(0).message());
  }

  @Test
  void eachWarningFiresForItsStageOnly() {
    List<JsonNode> events = SyntheticLog.everyWarning("Synthetic").events;
    AppReport report = AppReport.of(events);
    Map<String, List<Integer>> byKind = new TreeMap<>();
    for (Warning w : report.warnings()) {
      byKind.computeIfAbsent(w.kind(), k -> new ArrayList<>()).add(w.stage());
    }
    assertEquals(Map.of("tasks-too-short", List.of(0), "skew", List.of(1), "straggler", List.of(2),
        "spill", List.of(3), "gc", List.of(4), "locality", List.of(5), "locality-wait", List.of(6),
        "executor-lost", java.util.Arrays.asList((Integer) null)), byKind, report.warnings().toString());
    Warning wait = report.warnings().stream().filter(w -> w.kind().equals("locality-wait")).findFirst().get();
    assertTrue(wait.message().contains("sat idle for 3.0 s (slot time, 150% of its tasks' time)"), wait.message());
    Warning skew = report.warnings().stream().filter(w -> w.kind().equals("skew")).findFirst().get();
    assertTrue(skew.message().contains("partition 3 read 10.0 MiB, 10.0x the median task's 1.0 MiB"), skew.message());
    Warning straggler = report.warnings().stream().filter(w -> w.kind().equals("straggler")).findFirst().get();
    assertTrue(straggler.message().contains("partition 6 5.0 s on executor driver"), straggler.message());
    Warning gc = report.warnings().stream().filter(w -> w.kind().equals("gc")).findFirst().get();
    assertTrue(gc.message().contains("took 30%"), gc.message());
    assertTrue(report.warnings().stream().allMatch(w -> !w.advice().isEmpty()));
    assertEquals("succeeded", report.status());
  }

  @Test
  void idleSlotsCountOnlyWhenTheApplicationWaitsForLocalityAndTheStageHadPreferences() {
    SyntheticLog noWait = new SyntheticLog("NoWait", Map.of("dflow.locality.wait", "0"));
    noWait.stage(0, 10, 3000, i -> noWait.metrics(200, SyntheticLog.MIB, 0, 0, "NODE_LOCAL"));
    assertEquals(List.of(), AppReport.of(noWait.events).warnings(), "with no wait, idle slots are not its cost");
    SyntheticLog noPreference = new SyntheticLog("NoPreference");
    noPreference.stage(0, 10, 3000, i -> noPreference.metrics(200, SyntheticLog.MIB, 0, 0, "NO_PREF"));
    assertEquals(List.of(), AppReport.of(noPreference.events).warnings(), "tasks with no preference do not wait");
    SyntheticLog gaps = new SyntheticLog("Gaps");
    gaps.stage(0, 41, 0, 30, i -> gaps.metrics(100, SyntheticLog.MIB, 0, 0, "NODE_LOCAL"));
    assertEquals(List.of(), AppReport.of(gaps.events).warnings(), "1.2 s idle in all, but 30 ms at a time: launching");
    SyntheticLog spells = new SyntheticLog("Spells");
    spells.stage(0, 41, 0, 60, i -> spells.metrics(100, SyntheticLog.MIB, 0, 0, "NODE_LOCAL"));
    assertEquals(List.of("locality-wait"), AppReport.of(spells.events).warnings().stream().map(Warning::kind).toList(),
        "2.4 s idle, 60 ms at a time");
  }

  @Test
  void aSlotsFirstTaskIsNotAStraggler() {
    SyntheticLog cold = new SyntheticLog("Cold");
    cold.stage(0, 10, i -> cold.metrics(i == 0 ? 5000 : 100, SyntheticLog.MIB, 0, 0, "NO_PREF"));
    assertEquals(List.of(), AppReport.of(cold.events).warnings(), "the application's first task warms its JVM up");
    SyntheticLog warm = new SyntheticLog("Warm");
    warm.stage(0, 1, i -> warm.metrics(100, SyntheticLog.MIB, 0, 0, "NO_PREF"));
    warm.stage(1, 10, i -> warm.metrics(i == 0 ? 5000 : 100, SyntheticLog.MIB, 0, 0, "NO_PREF"));
    List<Warning> warnings = AppReport.of(warm.events).warnings();
    assertEquals(List.of("straggler"), warnings.stream().map(Warning::kind).toList(), warnings.toString());
    assertEquals(1, warnings.get(0).stage());
  }

  @Test
  void stageFiguresAreTheSumsAndQuantilesOfItsSuccessfulTasks() {
    SyntheticLog log = new SyntheticLog("Synthetic");
    long[] runs = {30, 10, 50, 20, 40, 70, 60};
    log.stage(0, runs.length, i -> log.metrics(runs[i], (i + 1) * 1000L, i == 2 ? 500 : 0, i,
        i % 2 == 0 ? "NODE_LOCAL" : "ANY"));
    ObjectNode failed = log.taskEnd(0, 9, log.metrics(999, 123, 0, 0, "ANY"));
    failed.put("reason", "Failed").put("message", "boom");
    log.events.add(failed);
    List<JsonNode> events = log.events;
    AppReport report = AppReport.of(events);

    StageReport s = report.stages().get(0);
    assertEquals(runs.length, s.succeeded());
    assertEquals(1, s.failedAttempts());
    assertEquals(new Quantiles(10, 20, 40, 60, 70), s.taskMillis());
    long input = 0;
    for (int i = 0; i < runs.length; i++) {
      input += (i + 1) * 1000L;
    }
    assertEquals(input, s.inputBytes(), "failed attempts' bytes are not the stage's");
    assertEquals(500, s.spillBytes());
    assertEquals(Map.of("NODE_LOCAL", 4, "ANY", 3), s.locality());
    assertEquals(java.util.Arrays.stream(runs).sum() + 999, s.taskMillisTotal(), "time spent counts every attempt");
    assertEquals(runs.length * (runs.length - 1) / 2 * 1L, s.gcMillis());
    assertEquals(runs.length + 1, report.tasks().size());
    assertEquals("running", s.status(), "the log has no end of the stage");
    assertTrue(report.incomplete());
    assertEquals("incomplete", report.status());
    assertEquals(Map.of("seen", (long) runs.length), report.counters());
  }
}
