package io.dflow.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The report of an event log written here line by line: per-stage sums and quantiles against
 * sums computed from the same tasks, and each warning firing for the stage built to cause it and
 * for no other.
 */
class AdvisorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIB = 1 << 20;
  private final List<JsonNode> events = new ArrayList<>();
  private long clock = 1_000_000;

  @BeforeEach
  void start() {
    ObjectNode start = event("ApplicationStart");
    start.put("app", "app-1").put("name", "Synthetic").put("master", "local[4]");
    start.putObject("conf").put("dflow.shuffle.partitions", "10");
    events.add(start);
    ObjectNode add = event("ExecutorAdd");
    add.put("executor", "driver").put("host", "localhost").put("slots", 4);
    events.add(add);
  }

  @Test
  void eachWarningFiresForItsStageOnly() {
    stage(0, 12, i -> task(5, MIB, 0, 0, "NO_PREF")); // tiny tasks
    stage(1, 10, i -> task(100, i == 3 ? 10 * MIB : MIB, 0, 0, "NO_PREF")); // partition 3 reads 10x
    stage(2, 10, i -> task(i == 6 ? 5000 : 100, MIB, 0, 0, "NO_PREF")); // partition 6 straggles
    stage(3, 10, i -> task(200, MIB, i < 2 ? 4 * MIB : 0, 0, "NO_PREF")); // two tasks spill
    stage(4, 10, i -> task(200, MIB, 0, 60, "NO_PREF")); // 30% in garbage collection
    stage(5, 10, i -> task(200, MIB, 0, 0, i < 4 ? "ANY" : "NODE_LOCAL")); // 40% ran away from their data
    stage(6, 10, i -> task(200, MIB, 0, 10, i == 0 ? "RACK_LOCAL" : "NODE_LOCAL")); // healthy: 10% misses, 5% GC
    ObjectNode lost = event("ExecutorLoss");
    lost.put("executor", "driver").put("reason", "its process exited with 137 (SIGKILL)");
    events.add(lost);
    events.add(event("ApplicationEnd").put("status", "succeeded"));

    AppReport report = AppReport.of(events);
    Map<String, List<Integer>> byKind = new TreeMap<>();
    for (Warning w : report.warnings()) {
      byKind.computeIfAbsent(w.kind(), k -> new ArrayList<>()).add(w.stage());
    }
    assertEquals(Map.of("tasks-too-short", List.of(0), "skew", List.of(1), "straggler", List.of(2),
        "spill", List.of(3), "gc", List.of(4), "locality", List.of(5), "executor-lost", java.util.Arrays.asList(
            (Integer) null)), byKind, report.warnings().toString());
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
  void stageFiguresAreTheSumsAndQuantilesOfItsSuccessfulTasks() {
    long[] runs = {30, 10, 50, 20, 40, 70, 60};
    stage(0, runs.length, i -> task(runs[i], (i + 1) * 1000L, i == 2 ? 500 : 0, i, i % 2 == 0 ? "NODE_LOCAL" : "ANY"));
    ObjectNode failed = taskEnd(0, 0, 9, 0, "driver", task(999, 123, 0, 0, "ANY"));
    failed.put("reason", "Failed").put("message", "boom");
    events.add(failed);
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

  /** Metrics of one attempt; a function of the partition builds each stage's. */
  private interface TaskMaker {
    ObjectNode make(int partition);
  }

  private ObjectNode task(long runMillis, long inputBytes, long spillBytes, long gcMillis, String locality) {
    ObjectNode m = JSON.createObjectNode();
    m.put("runMillis", runMillis).put("gcMillis", gcMillis).put("recordsOut", 10).put("inputBytes", inputBytes)
        .put("shuffleBytesRead", 0).put("shuffleBytesWritten", 0).put("spills", spillBytes > 0 ? 1 : 0)
        .put("spillBytes", spillBytes).put("locality", locality);
    return m;
  }

  private void stage(int stage, int tasks, TaskMaker maker) {
    ObjectNode submit = event("StageSubmit");
    submit.put("job", 0).put("stage", stage).put("stageAttempt", 0).put("label", "stage " + stage + " (map)")
        .put("tasks", tasks);
    events.add(submit);
    for (int p = 0; p < tasks; p++) {
      ObjectNode m = maker.make(p);
      clock += m.path("runMillis").asLong();
      events.add(taskEnd(stage, 0, p, 0, "driver", m));
    }
  }

  private ObjectNode taskEnd(int stage, int stageAttempt, int partition, int attempt, String executor, ObjectNode m) {
    ObjectNode e = event("TaskEnd");
    e.put("job", 0).put("stage", stage).put("stageAttempt", stageAttempt).put("label", "stage " + stage + " (map)")
        .put("tasks", 0).put("task", events.size()).put("partition", partition).put("attempt", attempt)
        .put("executor", executor).put("reason", "Success").put("locality", m.remove("locality").asText());
    e.set("metrics", m);
    e.putObject("counters").put("seen", 1);
    return e;
  }

  private ObjectNode event(String type) {
    ObjectNode e = JSON.createObjectNode();
    e.put("event", type).put("time", clock);
    return e;
  }
}
