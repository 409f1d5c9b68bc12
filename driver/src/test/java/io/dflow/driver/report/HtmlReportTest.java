package io.dflow.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.driver.HeadlessChromium;
import io.dflow.driver.ReportCharts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page of a report whose every warning fires, drawn by headless Chromium: each warning
 * appears with its message and what to change, in order; text that looks like markup in the data
 * (an application name with a script end tag) stays text.
 */
class HtmlReportTest {
  @TempDir
  Path dir;

  @Test
  void thePageDrawsEveryWarningAndKeepsMarkupInTheDataAsText() throws Exception {
    String name = "Synthetic </script><img src=x onerror=\"document.body.dataset.rendered='hacked'\"> & co";
    AppReport report = AppReport.of(SyntheticLog.everyWarning(name).events);
    assertEquals(8, report.warnings().size(), report.warnings().toString());
    Path html = Files.writeString(dir.resolve("report.html"), HtmlReport.render(report));

    String dom = HeadlessChromium.dumpDom(html.toUri().toString(), dir);
    assertTrue(dom.contains("<body data-rendered=\"ok\""), dom.substring(0, Math.min(3000, dom.length())));
    String drawnPage = dom.substring(dom.indexOf("<main"), dom.indexOf("</main>")); // not the inlined scripts
    assertFalse(drawnPage.contains("<img"), "the name is text, not an element");
    assertTrue(dom.contains("<h1>" + escape(name) + "</h1>"), "the name as written");

    Matcher li = Pattern.compile("<li class=\"warning\" data-kind=\"([^\"]+)\"(?: data-stage=\"(\\d+)\")?>"
        + "<span class=\"kind\">[^<]*</span>(.*?)<span class=\"advice\">(.*?)</span></li>").matcher(dom);
    List<String> drawn = new ArrayList<>();
    while (li.find()) {
      drawn.add(li.group(1) + "|" + li.group(2) + "|" + li.group(3) + "|" + li.group(4));
    }
    List<String> expected = new ArrayList<>();
    for (Warning w : report.warnings()) {
      expected.add(w.kind() + "|" + w.stage() + "|" + escape(w.message()) + "|" + escape(w.advice()));
    }
    assertEquals(expected, drawn);
    assertFalse(dom.contains("data-errors="), "no script error");
    List<String> bars = ReportCharts.timelineBars(dom);
    assertEquals(report.tasks().stream().map(t -> t.stage() + "." + t.stageAttempt() + "/" + t.partition() + "."
        + t.attempt() + " " + t.reason()).sorted().toList(), bars.stream().sorted().toList(), "a bar per attempt");
    assertEquals(report.stages().size(), count(dom, "<tr class=\"stage-row\""));
  }

  @Test
  void everyOneOfManyAttemptsGetsItsBar() throws Exception {
    // past 3000 items ECharts would draw a series a few hundred a frame, and the page be dumped half drawn
    SyntheticLog log = new SyntheticLog("Many");
    log.stage(0, 5000, i -> log.metrics(2 + i % 7, 1000, 0, 0, "NO_PREF"));
    log.events.add(log.event("ApplicationEnd").put("status", "succeeded"));
    AppReport report = AppReport.of(log.events);
    Path html = Files.writeString(dir.resolve("many.html"), HtmlReport.render(report));
    String dom = HeadlessChromium.dumpDom(html.toUri().toString(), dir);
    assertTrue(dom.contains("data-rendered=\"ok\"") && !dom.contains("data-errors="));
    List<String> bars = ReportCharts.timelineBars(dom);
    assertEquals(5000, bars.size());
    assertEquals(5000, bars.stream().distinct().count(), "each attempt once");
  }

  @Test
  void aScriptErrorOnThePageIsRecorded() throws Exception {
    String page = HtmlReport.render(AppReport.of(SyntheticLog.everyWarning("Broken").events));
    int end = page.lastIndexOf("</body>");
    page = page.substring(0, end) + "<script>noSuchFunction();</script>" + page.substring(end);
    Path html = Files.writeString(dir.resolve("broken.html"), page);
    String dom = HeadlessChromium.dumpDom(html.toUri().toString(), dir);
    assertTrue(dom.contains("data-errors=\"1\""), "the error is counted");
    assertTrue(dom.contains("data-rendered=\"error\""));
    assertTrue(Pattern.compile("id=\"report-error\">[^<]*noSuchFunction").matcher(dom).find(), "and shown");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
