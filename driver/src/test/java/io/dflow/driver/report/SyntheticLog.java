package io.dflow.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * An event log written line by line in a test, in the format {@code EventLog} writes: an
 * application on one executor of one slot, stages of tasks whose metrics a function of the
 * partition gives, each task ending when the previous one did plus its run time.
 */
final class SyntheticLog {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MIB = 1 << 20;
  final List<JsonNode> events = new ArrayList<>();
  private long clock = 1_000_000;

  SyntheticLog(String name) {
    this(name, Map.of("dflow.shuffle.partitions", "10"));
  }

  SyntheticLog(String name, Map<String, String> conf) {
    ObjectNode start = event("ApplicationStart");
    start.put("app", "app-1").put("name", name).put("master", "local[1]");
    ObjectNode settings = start.putObject("conf");
    conf.forEach(settings::put);
    events.add(start);
    ObjectNode add = event("ExecutorAdd");
    add.put("executor", "driver").put("host", "localhost").put("slots", 1);
    events.add(add);
  }

  /**
   * The log of an application with a stage for each warning, in {@link Advisor}'s order, and a
   * healthy last stage: tiny tasks (0), skew (1), a straggler (2), spills (3), 30% GC (4), 40%
   * locality misses (5), 3 s idle before any task of stage 6 started (its locality wait), a
   * lost executor.
   */
  static SyntheticLog everyWarning(String name) {
    SyntheticLog log = new SyntheticLog(name);
    log.stage(0, 12, i -> log.metrics(5, MIB, 0, 0, "NO_PREF"));
    log.stage(1, 10, i -> log.metrics(100, i == 3 ? 10 * MIB : MIB, 0, 0, "NO_PREF"));
    log.stage(2, 10, i -> log.metrics(i == 6 ? 5000 : 100, MIB, 0, 0, "NO_PREF"));
    log.stage(3, 10, i -> log.metrics(200, MIB, i < 2 ? 4 * MIB : 0, 0, "NO_PREF"));
    log.stage(4, 10, i -> log.metrics(200, MIB, 0, 60, "NO_PREF"));
    log.stage(5, 10, i -> log.metrics(200, MIB, 0, 0, i < 4 ? "ANY" : "NODE_LOCAL"));
    log.stage(6, 10, 3000, i -> log.metrics(200, MIB, 0, 0, "NODE_LOCAL"));
    log.stage(7, 10, i -> log.metrics(200, MIB, 0, 10, i == 0 ? "RACK_LOCAL" : "NODE_LOCAL")); // 10% misses, 5% GC
    ObjectNode lost = log.event("ExecutorLoss");
    lost.put("executor", "driver").put("reason", "its process exited with 137 (SIGKILL)");
    log.events.add(lost);
    log.events.add(log.event("ApplicationEnd").put("status", "succeeded"));
    return log;
  }

  /** One attempt's metrics, with its locality level (moved to the task's line by {@link #taskEnd}). */
  ObjectNode metrics(long runMillis, long inputBytes, long spillBytes, long gcMillis, String locality) {
    ObjectNode m = JSON.createObjectNode();
    m.put("runMillis", runMillis).put("gcMillis", gcMillis).put("recordsOut", 10).put("inputBytes", inputBytes)
        .put("shuffleBytesRead", 0).put("shuffleBytesWritten", 0).put("spills", spillBytes > 0 ? 1 : 0)
        .put("spillBytes", spillBytes).put("locality", locality);
    return m;
  }

  /** Submits stage {@code stage} of job 0 and ends its {@code tasks} tasks, each successful with a counter. */
  void stage(int stage, int tasks, IntFunction<ObjectNode> metrics) {
    stage(stage, tasks, 0, metrics);
  }

  /** {@link #stage(int, int, IntFunction)} with its first task starting {@code idleMillis} after the submission. */
  void stage(int stage, int tasks, long idleMillis, IntFunction<ObjectNode> metrics) {
    stage(stage, tasks, idleMillis, 0, metrics);
  }

  /** ...and each next task starting {@code gapMillis} after the one before ended. */
  void stage(int stage, int tasks, long idleMillis, long gapMillis, IntFunction<ObjectNode> metrics) {
    ObjectNode submit = event("StageSubmit");
    submit.put("job", 0).put("stage", stage).put("stageAttempt", 0).put("label", "stage " + stage + " (map)")
        .put("tasks", tasks);
    events.add(submit);
    clock += idleMillis;
    for (int p = 0; p < tasks; p++) {
      ObjectNode m = metrics.apply(p);
      clock += (p == 0 ? 0 : gapMillis) + m.path("runMillis").asLong();
      events.add(taskEnd(stage, p, m));
    }
  }

  /** A successful attempt 0 of {@code partition} of {@code stage} on executor {@code driver}. */
  ObjectNode taskEnd(int stage, int partition, ObjectNode m) {
    ObjectNode e = event("TaskEnd");
    e.put("job", 0).put("stage", stage).put("stageAttempt", 0).put("label", "stage " + stage + " (map)")
        .put("tasks", 0).put("task", events.size()).put("partition", partition).put("attempt", 0)
        .put("executor", "driver").put("reason", "Success").put("locality", m.remove("locality").asText());
    e.set("metrics", m);
    e.putObject("counters").put("seen", 1);
    return e;
  }

  ObjectNode event(String type) {
    ObjectNode e = JSON.createObjectNode();
    e.put("event", type).put("time", clock);
    return e;
  }
}
