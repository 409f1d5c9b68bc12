package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dflow.driver.history.EventLogs;
import io.dflow.driver.report.AppReport;
import io.dflow.driver.report.Warning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At the end of a successful application its last line is preceded by the path of its event
 * log and, before that, one {@code warning:} line for each warning of its report: a job of 40
 * tiny map tasks ({@code dflowtest.jobs.EventLogJob}, one failing once) says its tasks are too short, once; a job
 * of a few tasks ({@code dflowtest.jobs.GatedJob}, its gate open) prints no warning.
 */
class ApplicationEndWarningsTest {
  private static final Pattern SUCCEEDED = Pattern.compile("application \\S+ succeeded in .*");

  @TempDir
  Path dir;

  @Test
  void aJobOfTinyTasksEndsSayingSoBeforeItsLastLines() throws IOException {
    CliRun run = EventLogTest.runEventLogJob(dir, dir.resolve("events"), "dflow.task.maxAttempts=2");
    List<String> lines = run.err().lines().filter(l -> !l.contains(" WARN ")).toList();
    List<JsonNode> events = EventLogs.read(eventLog(lines));
    List<String> expected = AppReport.of(events).warnings().stream().map(Warning::line).toList();

    List<String> ending = lines.subList(lines.size() - expected.size() - 2, lines.size());
    assertEquals(expected, ending.subList(0, expected.size()), "the report's warnings, one line each: " + lines);
    assertTrue(ending.get(expected.size()).startsWith("event log: "), ending.toString());
    assertTrue(SUCCEEDED.matcher(ending.get(expected.size() + 1)).matches(), ending.toString());
    assertEquals(expected.size(), lines.stream().filter(l -> l.startsWith("warning: ")).count(),
        "nothing else warns, nothing twice: " + lines);

    // 40 map tasks of 10 numbers each: tiny, though a loaded machine can stretch them past the
    // threshold, so the warning is due exactly when the logged median, computed here, is under 20 ms
    long map = events.stream().filter(e -> e.path("event").asText().equals("StageSubmit")
        && e.path("tasks").asInt() == 40).findFirst().orElseThrow().path("stage").asInt();
    List<Long> sorted = events.stream().filter(e -> e.path("event").asText().equals("TaskEnd")
        && e.path("reason").asText().equals("Success") && e.path("stage").asInt() == map)
        .map(e -> e.path("metrics").path("runMillis").asLong()).sorted().toList();
    assertEquals(40, sorted.size());
    long median = sorted.get(19); // the 20th of 40: nearest rank
    List<String> tooShort = lines.stream().filter(l -> l.contains("tasks too short")).toList();
    assertEquals(median < 20 ? 1 : 0, tooShort.size(), "median " + median + " ms: " + lines);
    if (median < 20) {
      assertTrue(tooShort.get(0).matches("warning: stage " + map + " .*: its 40 tasks ran " + median
          + " ms each \\(median\\): tasks too short, so scheduling them costs more than their work: fewer slices"
          + " or bigger splits .*"), tooShort.get(0));
    }
  }

  @Test
  void aJobWithNothingToWarnOfPrintsNoWarning() throws IOException {
    Path gate = Files.createFile(dir.resolve("gate"));
    CliRun run = CliRun.of("run", "--master", "local[2]", "--class", "dflowtest.jobs.GatedJob", "--conf",
        "dflow.eventLog.dir=" + dir.resolve("events"), TestJars.testJobs(dir).toString(), gate.toString());
    assertEquals(0, run.exit(), run.err());
    List<String> lines = run.err().lines().filter(l -> !l.contains(" WARN ")).toList();
    assertEquals(List.of(), AppReport.of(EventLogs.read(eventLog(lines))).warnings(), "its report has none");
    assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("warning")).toList(), run.err());
    assertTrue(lines.get(lines.size() - 2).startsWith("event log: "), lines.toString());
    assertTrue(SUCCEEDED.matcher(lines.get(lines.size() - 1)).matches(), lines.toString());
  }

  private static Path eventLog(List<String> lines) {
    Matcher m = Pattern.compile("event log: (\\S+)").matcher(String.join("\n", lines));
    assertTrue(m.find(), lines.toString());
    return Path.of(m.group(1));
  }
}
