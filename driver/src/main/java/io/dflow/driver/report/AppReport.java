package io.dflow.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an application did, from its events in order (an event log read back, or the events of a
 * running application): its stages with their task statistics, every task attempt on the
 * timeline, executors, counters, configuration, and the warnings. A log that ends before the
 * application did gives the report of what it holds, marked incomplete.
 *
 * @param status {@code succeeded}, {@code failed}, or {@code incomplete} when the log has no end
 * @param endMillis when the application ended, or its last event's time when incomplete
 * @param dag every stage once, with the stages it reads, in order of id
 */
public record AppReport(String app, String name, String master, long startMillis, long endMillis, String status,
    String error, boolean incomplete, Map<String, String> conf, List<Job> jobs, List<DagNode> dag,
    List<StageReport> stages, List<TaskRun> tasks, List<Executor> executors, Map<String, Long> counters,
    List<Warning> warnings) {

  /** A job: its id, what ran it, and how it ended ({@code running} when the log stops first). */
  public record Job(int job, String description, String status, String error, int tasksRun) {}

  /** A stage of the DAG. */
  public record DagNode(int stage, int job, String label, List<Integer> parents, String status) {}

  /**
   * An executor: where it ran, its task slots, and why it was lost (null while it serves).
   *
   * @param lanes the timeline's rows for it: the most of its task attempts that ran at once, at
   *     most its slots
   */
  public record Executor(String id, String host, int slots, long addedMillis, String lostReason, long lostMillis,
      int lanes) {}

  /** The report of {@code events}, which must start with the application's start. */
  public static AppReport of(List<JsonNode> events) {
    if (events.isEmpty() || !"ApplicationStart".equals(events.get(0).path("event").asText())) {
      throw new IllegalArgumentException("not an event log: it does not begin with the application's start"
          + " (an ApplicationStart line)");
    }
    return new Builder(events.get(0)).addAll(events).build();
  }

  /**
   * The report of a running application, built as its events come: {@link #add} each event after
   * the application's start, {@link #build} the report of those so far (incomplete until the
   * application's end is added). Not thread-safe: its owner guards it.
   */
  public static final class Builder {
    private final JsonNode start;
    private final long t0;
    private JsonNode end;
    private long last;
    private final Map<Integer, Job> jobs = new LinkedHashMap<>();
    private final Map<Integer, DagNode> dag = new TreeMap<>();
    /** Stage attempts by "stage.attempt", in order of submission. */
    private final Map<String, StageBuilder> stages = new LinkedHashMap<>();
    private final List<TaskRun> tasks = new ArrayList<>();
    private final Map<String, Executor> executors = new LinkedHashMap<>();
    private final List<JsonNode> skews = new ArrayList<>();

    /** A report of the application that {@code start} (its ApplicationStart event) began. */
    public Builder(JsonNode start) {
      this.start = start;
      this.t0 = start.path("time").asLong();
      this.last = t0;
    }

    private Builder addAll(List<JsonNode> events) {
      for (JsonNode e : events.subList(1, events.size())) {
        add(e);
      }
      return this;
    }

    /** A report of the application that {@code start} began, as {@code EventLog.applicationStart} gives it. */
    public Builder(Map<String, Object> start) {
      this(HtmlReport.JSON.<JsonNode>valueToTree(start));
    }

    /** Adds the application's next event, as {@code EventLog.describe} gives it. */
    public void add(Map<String, Object> event) {
      add(HtmlReport.JSON.<JsonNode>valueToTree(event));
    }

    /** Adds the application's next event. */
    public void add(JsonNode e) {
      long time = e.path("time").asLong();
      last = Math.max(last, time);
      switch (e.path("event").asText()) {
        case "JobStart" -> jobs.put(e.path("job").asInt(),
            new Job(e.path("job").asInt(), e.path("description").asText(), "running", null, 0));
        case "JobStages" -> {
          for (JsonNode s : e.path("stages")) {
            List<Integer> parents = new ArrayList<>();
            s.path("parents").forEach(p -> parents.add(p.asInt()));
            dag.putIfAbsent(s.path("stage").asInt(), new DagNode(s.path("stage").asInt(), e.path("job").asInt(),
                s.path("label").asText(), List.copyOf(parents), "waiting"));
          }
        }
        case "JobEnd" -> jobs.put(e.path("job").asInt(), new Job(e.path("job").asInt(),
            jobs.containsKey(e.path("job").asInt()) ? jobs.get(e.path("job").asInt()).description() : "",
            e.path("status").asText(), text(e, "error"), e.path("tasksRun").asInt()));
        case "StageSubmit" -> {
          StageBuilder s = stage(e);
          s.status = "running";
          s.submittedMillis = time - t0;
        }
        case "StageSkip" -> stage(e).status = "skipped";
        case "StageEnd" -> {
          StageBuilder s = stage(e);
          s.status = e.path("status").asText();
          s.error = text(e, "error");
          s.durationMillis = e.path("runMillis").asLong();
        }
        case "TaskEnd" -> task(e, time);
        case "ShuffleSkew" -> skews.add(e);
        case "ExecutorAdd" -> executors.put(e.path("executor").asText(), new Executor(e.path("executor").asText(),
            e.path("host").asText(), e.path("slots").asInt(), time - t0, null, -1, 0));
        case "ExecutorLoss" -> {
          Executor x = executors.get(e.path("executor").asText());
          String id = e.path("executor").asText();
          executors.put(id, new Executor(id, x == null ? "" : x.host(), x == null ? 0 : x.slots(),
              x == null ? 0 : x.addedMillis(), e.path("reason").asText(), time - t0, 0));
        }
        case "ApplicationEnd" -> end = e;
        default -> {
          // an event a later version writes: not shown
        }
      }
    }

    private StageBuilder stage(JsonNode e) {
      String key = e.path("stage").asInt() + "." + e.path("stageAttempt").asInt();
      StageBuilder s = stages.computeIfAbsent(key, k -> new StageBuilder(e));
      if (e.has("tasks")) {
        s.tasks = e.path("tasks").asInt();
      }
      return s;
    }

    private void task(JsonNode e, long time) {
      StageBuilder s = stage(e);
      JsonNode m = e.path("metrics");
      long run = m.path("runMillis").asLong();
      TaskRun t = new TaskRun(e.path("stage").asInt(), e.path("stageAttempt").asInt(), e.path("partition").asInt(),
          e.path("attempt").asInt(), e.path("task").asLong(), e.path("executor").asText(), Math.max(0, time - t0 - run),
          run, m.path("gcMillis").asLong(), e.path("reason").asText(), text(e, "message"),
          e.path("locality").asText(), m.path("recordsOut").asLong(), m.path("inputBytes").asLong(),
          m.path("shuffleBytesRead").asLong(), m.path("shuffleBytesWritten").asLong(), m.path("spills").asLong(),
          m.path("spillBytes").asLong(), 0);
      tasks.add(t);
      s.add(t, e.path("counters"));
    }

    /** The report of the events added so far. */
    public AppReport build() {
      Map<String, Integer> slots = new LinkedHashMap<>();
      executors.values().forEach(x -> slots.put(x.id(), x.slots()));
      List<TaskRun> laid = Timeline.lanes(tasks, slots);
      Map<String, Integer> lanes = new LinkedHashMap<>();
      for (TaskRun t : laid) {
        lanes.merge(t.executor(), t.lane() + 1, Math::max);
        executors.putIfAbsent(t.executor(), new Executor(t.executor(), "", 0, 0, null, -1, 0));
      }
      List<Executor> xs = executors.values().stream().map(x -> new Executor(x.id(), x.host(), x.slots(),
          x.addedMillis(), x.lostReason(), x.lostMillis(), lanes.getOrDefault(x.id(), 0))).toList();
      List<StageReport> reports = new ArrayList<>();
      Map<Integer, String> latestStatus = new TreeMap<>();
      Map<String, Long> counters = new TreeMap<>();
      for (StageBuilder s : stages.values()) {
        DagNode node = dag.get(s.stage);
        StageReport r = s.build(node == null ? List.of() : node.parents());
        reports.add(r);
        latestStatus.put(r.stage(), r.status());
        r.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
      }
      List<DagNode> nodes = new ArrayList<>();
      for (DagNode n : dag.values()) {
        nodes.add(new DagNode(n.stage(), n.job(), n.label(), n.parents(), latestStatus.getOrDefault(n.stage(),
            n.status())));
      }
      Map<String, String> conf = new TreeMap<>();
      start.path("conf").fields().forEachRemaining(f -> conf.put(f.getKey(), f.getValue().asText()));
      boolean incomplete = end == null;
      List<Warning> warnings = Advisor.warnings(reports, laid, xs, skews, conf);
      return new AppReport(start.path("app").asText(), start.path("name").asText(), start.path("master").asText(),
          t0, incomplete ? last : end.path("time").asLong(), incomplete ? "incomplete" : end.path("status").asText(),
          incomplete ? null : text(end, "error"), incomplete, conf, List.copyOf(jobs.values()), nodes, reports, laid,
          xs, counters, warnings);
    }
  }

  /** One stage attempt's tasks, summed as they end. */
  private static final class StageBuilder {
    final int job;
    final int stage;
    final int attempt;
    final String label;
    int tasks;
    String status = "running";
    String error;
    long durationMillis = -1;
    long submittedMillis = -1;
    int succeeded;
    int failed;
    final List<Long> runMillis = new ArrayList<>();
    long recordsOut;
    long inputBytes;
    long shuffleRead;
    long shuffleWritten;
    long spills;
    long spillBytes;
    long gc;
    long taskMillis;
    final Map<String, Integer> locality = new TreeMap<>();
    final Map<String, Long> counters = new TreeMap<>();

    StageBuilder(JsonNode e) {
      this.job = e.has("job") ? e.path("job").asInt() : -1;
      this.stage = e.path("stage").asInt();
      this.attempt = e.path("stageAttempt").asInt();
      this.label = e.path("label").asText();
    }

    void add(TaskRun t, JsonNode taskCounters) {
      gc += t.gcMillis();
      taskMillis += t.runMillis();
      spills += t.spills();
      spillBytes += t.spillBytes();
      if (!t.succeeded()) {
        if (!"Killed".equals(t.reason())) {
          failed++;
        }
        return;
      }
      succeeded++;
      runMillis.add(t.runMillis());
      recordsOut += t.recordsOut();
      inputBytes += t.inputBytes();
      shuffleRead += t.shuffleBytesRead();
      shuffleWritten += t.shuffleBytesWritten();
      locality.merge(t.locality(), 1, Integer::sum);
      taskCounters.fields().forEachRemaining(f -> counters.merge(f.getKey(), f.getValue().asLong(), Long::sum));
    }

    StageReport build(List<Integer> parents) {
      return new StageReport(job, stage, attempt, label, parents, status, error, tasks, succeeded, failed,
          durationMillis, Quantiles.of(runMillis), recordsOut, inputBytes, shuffleRead, shuffleWritten, spills,
          spillBytes, gc, taskMillis, new TreeMap<>(locality), new TreeMap<>(counters), submittedMillis);
    }
  }

  private static String text(JsonNode e, String field) {
    return e.hasNonNull(field) ? e.path(field).asText() : null;
  }
}
