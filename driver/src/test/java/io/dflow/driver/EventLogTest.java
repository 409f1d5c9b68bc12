package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dflow.driver.history.EventLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event log of a job whose every task is known ({@code dflowtest.jobs.EventLogJob}: 40 tiny
 * map tasks, one of them failing once, a counter, a reduce into 2 partitions), read back and
 * compared with what the job did; {@code dflow history} lists it; a log cut short by a crash
 * still reads as far as it goes and says it is incomplete.
 */
class EventLogTest {
  @TempDir
  Path dir;

  @Test
  void theEventLogHoldsEveryTaskAttemptTheJobRan() throws IOException {
    Path logs = dir.resolve("events");
    CliRun run = runEventLogJob(dir, logs, "dflow.task.maxAttempts=2");
    Matcher last = Pattern.compile("\\(1 job, 2 stages, (\\d+) tasks\\)").matcher(run.lastErrLine());
    assertTrue(last.find(), run.lastErrLine());
    int tasksRun = Integer.parseInt(last.group(1));
    assertEquals(42, tasksRun, "40 map tasks and 2 reduce tasks");
    Matcher logLine = Pattern.compile("event log: (\\S+)").matcher(run.err());
    assertTrue(logLine.find(), run.err());
    Path log = Path.of(logLine.group(1));
    assertEquals(logs.resolve(log.getFileName()), log);
    assertTrue(log.getFileName().toString().endsWith(".jsonl"), log.toString());

    List<JsonNode> events = EventLogs.read(log);
    JsonNode start = events.get(0);
    assertEquals("ApplicationStart", start.path("event").asText());
    assertEquals("dflowtest.jobs.EventLogJob", start.path("name").asText());
    assertEquals("2", start.path("conf").path("dflow.task.maxAttempts").asText());
    JsonNode end = events.get(events.size() - 1);
    assertEquals("ApplicationEnd", end.path("event").asText());
    assertEquals("succeeded", end.path("status").asText());

    List<JsonNode> taskEnds = of(events, "TaskEnd");
    List<JsonNode> successes = taskEnds.stream().filter(e -> e.path("reason").asText().equals("Success")).toList();
    assertEquals(tasksRun, successes.size());
    List<JsonNode> failures = taskEnds.stream().filter(e -> !e.path("reason").asText().equals("Success")).toList();
    assertEquals(1, failures.size(), "the one failed attempt");
    JsonNode failed = failures.get(0);
    assertEquals(7, failed.path("partition").asInt());
    assertEquals(0, failed.path("attempt").asInt());
    assertTrue(failed.path("message").asText().contains("slice 7 fails once"), failed.toString());
    assertTrue(successes.stream().anyMatch(e -> e.path("stage").asInt() == failed.path("stage").asInt()
        && e.path("partition").asInt() == 7 && e.path("attempt").asInt() == 1), "its retry succeeded");
    long seen = successes.stream().mapToLong(e -> e.path("counters").path("seen").asLong()).sum();
    assertEquals(400, seen, "the counter's share of every successful attempt adds up to the records");
    assertEquals(2, of(events, "StageEnd").stream().filter(e -> e.path("status").asText().equals("succeeded")).count());
    JsonNode jobEnd = of(events, "JobEnd").get(0);
    assertEquals(tasksRun, jobEnd.path("tasksRun").asInt());
    assertEquals(1, of(events, "ExecutorAdd").size());
    assertTrue(successes.stream().allMatch(e -> e.path("metrics").has("runMillis")
        && e.path("metrics").path("gcMillis").asLong(-1) >= 0 && e.has("locality")));
    JsonNode graph = of(events, "JobStages").get(0).path("stages");
    assertEquals(2, graph.size(), graph.toString());
    assertEquals("[" + graph.get(0).path("stage").asInt() + "]", graph.get(1).path("parents").toString(),
        "the reduce stage reads the map stage");

    CliRun history = CliRun.of("history", "--dir", logs.toString());
    assertEquals(0, history.exit(), history.err());
    String app = start.path("app").asText();
    assertTrue(history.out().lines().anyMatch(l -> l.startsWith(app) && l.contains("dflowtest.jobs.EventLogJob")
        && l.endsWith("succeeded")), history.out());

    byte[] whole = Files.readAllBytes(log);
    Path cut = Files.createDirectories(dir.resolve("crashed")).resolve(app + ".jsonl.inprogress");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2)); // mid-line, as a crash leaves it
    List<JsonNode> prefix = EventLogs.read(cut);
    assertTrue(prefix.size() > 1 && prefix.size() < events.size(), prefix.size() + " of " + events.size());
    for (int i = 0; i < prefix.size(); i++) {
      assertEquals(events.get(i), prefix.get(i));
    }
    assertEquals("incomplete", EventLogs.list(cut.getParent()).get(0).status());
  }

  /**
   * Runs {@code dflowtest.jobs.EventLogJob} on local[2] logging to {@code logs}, with settings
   * {@code KEY=VALUE}; it must succeed.
   */
  static CliRun runEventLogJob(Path dir, Path logs, String... conf) throws IOException {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    List<String> args = new java.util.ArrayList<>(List.of("run", "--master", "local[2]", "--class",
        "dflowtest.jobs.EventLogJob", "--conf", "dflow.eventLog.dir=" + logs));
    for (String c : conf) {
      args.addAll(List.of("--conf", c));
    }
    args.addAll(List.of(TestJars.testJobs(dir).toString(), markers.toString()));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exit(), run.err());
    return run;
  }

  private static List<JsonNode> of(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.path("event").asText().equals(type)).toList();
  }
}
