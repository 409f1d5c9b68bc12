package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dflow report} of a real application ({@code dflowtest.jobs.EventLogJob} on local[2]: two
 * stages, 40 tiny map tasks of which one fails once, a counter), opened in headless Chromium: the
 * page's script draws one row per stage attempt, one timeline bar per task attempt of the log,
 * the DAG, the warnings the log calls for (the tiny-task one whenever its median map task ran
 * under 20 ms) and the counter, with no script error; a log cut short still gives a page that
 * says it is incomplete.
 */
class HtmlReportChromiumTest {
  @TempDir
  Path dir;

  @Test
  void theReportOfARealJobDrawsEveryTaskAttemptAndItsWarnings() throws Exception {
    Path logs = dir.resolve("events");
    CliRun run = EventLogTest.runEventLogJob(dir, logs, "dflow.task.maxAttempts=2");
    Matcher logLine = Pattern.compile("event log: (\\S+)").matcher(run.err());
    assertTrue(logLine.find(), run.err());
    Path log = Path.of(logLine.group(1));
    List<JsonNode> events = EventLogs.read(log);
    String app = events.get(0).path("app").asText();

    Path html = dir.resolve("report.html");
    CliRun report = CliRun.of("report", app, "--dir", logs.toString(), "-o", html.toString());
    assertEquals(0, report.exit(), report.err());
    assertTrue(report.out().contains(html.toAbsolutePath().toString()), report.out());
    String page = Files.readString(html);
    assertFalse(Pattern.compile("<(script|link)\\b[^>]*\\b(src|href)\\s*=", Pattern.CASE_INSENSITIVE)
        .matcher(page).find(), "the page loads no script or stylesheet: ECharts is inlined");
    assertTrue(page.contains("Apache ECharts") && page.contains("echarts"), "with its notice");
    assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:)?//").matcher(page).find(), "the page loads nothing");

    String dom = HeadlessChromium.dumpDom(html.toUri().toString(), dir);
    assertTrue(dom.contains("data-rendered=\"ok\""), "the page's script ran to its end: " + errorOf(dom));
    assertFalse(dom.contains("id=\"report-error\""), errorOf(dom));
    assertFalse(dom.contains("data-errors="), "no script error: " + errorOf(dom));
    assertEquals(ReportCharts.pinnedEchartsVersion(), attr(dom, "data-echarts"), "the ECharts the lock file pins");

    List<JsonNode> taskEnds = of(events, "TaskEnd");
    List<String> bars = ReportCharts.timelineBars(dom);
    assertEquals(taskEnds.size(), bars.size(), "one timeline bar per task attempt in the log");
    assertEquals(taskEnds.stream().map(HtmlReportChromiumTest::attemptKey).sorted().toList(),
        bars.stream().sorted().toList(), "the same attempts");
    List<String> failed = bars.stream().filter(b -> !b.endsWith(" Success")).toList();
    assertEquals(1, failed.size(), "the one failed attempt: " + failed);
    assertTrue(failed.get(0).matches("\\d+\\.0/7\\.0 .*"), failed.get(0));

    long stageAttempts = of(events, "StageSubmit").stream()
        .map(e -> e.path("stage").asInt() + "." + e.path("stageAttempt").asInt()).distinct().count();
    assertEquals(2, stageAttempts);
    assertEquals(stageAttempts, matches(dom, "<tr class=\"stage-row\"").size(), "one row per stage attempt");
    assertEquals(2, ReportCharts.dagNodes(dom).size(), "the two stages in the DAG: " + ReportCharts.dagNodes(dom));
    int map = stageOfTasks(events, 40);
    int reduce = of(events, "StageSubmit").stream().mapToInt(e -> e.path("stage").asInt()).filter(s -> s != map)
        .findFirst().orElseThrow();
    assertEquals(List.of(map + "->" + reduce), ReportCharts.dagEdges(dom), "the reduce stage reads the map stage");
    assertEquals(ReportCharts.stageAttempts(events).stream().sorted().toList(),
        ReportCharts.boxplotRows(dom).stream().sorted().toList(), "a box per stage attempt with a successful task");

    List<String> drawn = matches(dom, "<li class=\"warning\" data-kind=\"[^\"]+\"").stream()
        .map(w -> w.replaceAll(".*data-kind=\"([^\"]+)\"", "$1")).toList();
    AppReport analysed = AppReport.of(events);
    assertEquals(analysed.warnings().stream().map(Warning::kind).toList(), drawn, "the warnings, in order");
    // the job's 40 map tasks are tiny, but a loaded machine can stretch them past the threshold:
    // the page warns exactly when the median the log holds, computed here, is under 20 ms
    List<Long> mapMillis = taskEnds.stream().filter(e -> e.path("reason").asText().equals("Success"))
        .filter(e -> e.path("stage").asInt() == stageOfTasks(events, 40))
        .map(e -> e.path("metrics").path("runMillis").asLong()).sorted().toList();
    assertEquals(40, mapMillis.size());
    long median = mapMillis.get(19); // the 20th of 40: nearest rank
    assertEquals(median < 20, drawn.contains("tasks-too-short"), "median " + median + " ms: " + drawn);
    if (median < 20) {
      assertTrue(dom.contains("tasks too short, so scheduling them costs more than their work"), "the warning's text");
      assertTrue(dom.contains("fewer slices or bigger splits"), "what to change");
    }
    assertTrue(Pattern.compile("<tr class=\"counters-row\"><td><code>seen</code></td><td>400</td></tr>")
        .matcher(dom).find(), "the counter, summed over successful attempts");
    assertTrue(dom.contains("<code>dflow.task.maxAttempts</code></td><td>2</td>"), "the configuration");

    byte[] whole = Files.readAllBytes(log);
    Path cut = Files.createDirectories(dir.resolve("crashed")).resolve(app + ".jsonl.inprogress");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
    Path partial = dir.resolve("partial.html");
    CliRun fromCut = CliRun.of("report", cut.toString(), "-o", partial.toString());
    assertEquals(0, fromCut.exit(), fromCut.err());
    String cutDom = HeadlessChromium.dumpDom(partial.toUri().toString(), dir);
    assertTrue(cutDom.contains("data-rendered=\"ok\""), errorOf(cutDom));
    assertTrue(cutDom.contains("id=\"incomplete\""), "the page says the log is incomplete");
    int cutTasks = of(EventLogs.read(cut), "TaskEnd").size();
    assertTrue(cutTasks > 0 && cutTasks < taskEnds.size(), cutTasks + " of " + taskEnds.size());
    assertEquals(cutTasks, ReportCharts.timelineBars(cutDom).size());
  }

  @Test
  void aMissingApplicationOrFileIsAnErrorNamingIt() throws IOException {
    CliRun noApp = CliRun.of("report", "app-19700101000000-0000", "--dir", dir.toString());
    assertEquals(1, noApp.exit());
    assertTrue(noApp.err().contains("no event log of application app-19700101000000-0000 in " + dir), noApp.err());
    Path notALog = Files.writeString(dir.resolve("notes.jsonl"), "{\"event\":\"JobStart\"}\n");
    CliRun bad = CliRun.of("report", notALog.toString(), "-o", dir.resolve("x.html").toString());
    assertEquals(1, bad.exit());
    assertTrue(bad.err().contains(notALog + " is not an event log"), bad.err());
    Path log = Files.writeString(dir.resolve("app.jsonl"), "{\"event\":\"ApplicationStart\",\"time\":1,\"app\":\"a\"}\n");
    Path nowhere = dir.resolve("no-such-folder").resolve("r.html");
    CliRun unwritable = CliRun.of("report", log.toString(), "-o", nowhere.toString());
    assertEquals(1, unwritable.exit());
    assertEquals("error: cannot write the report to " + nowhere + ": its folder does not exist", unwritable.firstErrLine());
  }

  /** The stage that submitted {@code tasks} tasks. */
  private static int stageOfTasks(List<JsonNode> events, int tasks) {
    return of(events, "StageSubmit").stream().filter(e -> e.path("tasks").asInt() == tasks).findFirst()
        .orElseThrow().path("stage").asInt();
  }

  private static String attemptKey(JsonNode e) {
    return e.path("stage").asInt() + "." + e.path("stageAttempt").asInt() + "/" + e.path("partition").asInt() + "."
        + e.path("attempt").asInt() + " " + e.path("reason").asText();
  }

  private static String attr(String tag, String name) {
    Matcher m = Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(tag);
    return m.find() ? m.group(1) : "?";
  }

  private static String errorOf(String dom) {
    Matcher m = Pattern.compile("id=\"report-error\">([^<]*)").matcher(dom);
    return m.find() ? m.group(1) : dom.substring(0, Math.min(2000, dom.length()));
  }

  private static List<String> matches(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static List<JsonNode> of(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.path("event").asText().equals(type)).collect(Collectors.toList());
  }
}
