package io.dflow.driver.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a report as one HTML page that needs nothing else: its stylesheet, its script
 * ({@code report.css}, {@code report.js} beside this class), Apache ECharts, which the script
 * draws the charts with ({@code echarts.min.js}, put beside this class at build time from the
 * npm package pinned in {@code src/main/report}, with its licence and notice), and the report's
 * data as JSON are all inlined, and the script draws the page from the data when it loads. A
 * live page also fetches the data again every few seconds from a URL of its own server.
 */
public final class HtmlReport {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEMPLATE = resource("report.html");
  private static final String CSS = resource("report.css");
  private static final String JS = resource("report.js");
  /** The library, kept from ending its script element early (it has no {@code </script} today). */
  private static final String ECHARTS = resource("echarts.min.js").replaceAll("(?i)</script", "<\\\\/script");
  /** What ECharts' licence asks to go with every copy: its notice, its licence and that of zrender, which it embeds. */
  private static final String ECHARTS_NOTICE = (resource("echarts-NOTICE.txt") + "\n\n" + resource("echarts-LICENSE.txt")
      + "\n\nzrender, embedded in ECharts:\n" + resource("zrender-LICENSE.txt")).replaceAll("-(?=-)", "- "); // no "--" in a comment
  private static final Pattern PLACEHOLDER = Pattern.compile("__(LIVE|TITLE|CSS|ECHARTS_NOTICE|ECHARTS|JS|DATA)__");

  private HtmlReport() {}

  /** The page of {@code report}, which opens offline. */
  public static String render(AppReport report) {
    return render(report, "");
  }

  /** The page of {@code report}, refreshing itself from {@code liveData} (a URL; "" for none). */
  public static String render(AppReport report, String liveData) {
    // one pass over the template, so nothing inlined (the data, the library) is taken for a placeholder
    Map<String, String> parts = Map.of("LIVE", escapeAttribute(liveData),
        "TITLE", escapeText("dflow report: " + (report.name().isEmpty() ? report.app() : report.name())),
        "CSS", CSS, "ECHARTS_NOTICE", ECHARTS_NOTICE, "ECHARTS", ECHARTS, "JS", JS, "DATA", json(report));
    Matcher m = PLACEHOLDER.matcher(TEMPLATE);
    StringBuilder page = new StringBuilder(TEMPLATE.length() + ECHARTS.length() + JS.length() + 4096);
    int copied = 0;
    while (m.find()) {
      page.append(TEMPLATE, copied, m.start()).append(parts.get(m.group(1)));
      copied = m.end();
    }
    return page.append(TEMPLATE, copied, TEMPLATE.length()).toString();
  }

  /** The report as JSON, safe inside a script element: no {@code <} to end it early. */
  public static String json(AppReport report) {
    try {
      return JSON.writeValueAsString(report).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report as JSON", e);
    }
  }

  private static String escapeText(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String escapeAttribute(String s) {
    return escapeText(s).replace("\"", "&quot;");
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the driver jar lacks " + name + " beside " + HtmlReport.class.getName()
            + (name.startsWith("echarts") || name.startsWith("zrender") ? " (the build puts it there from npm:"
                + " driver/src/main/report/bundle.sh)" : ""));
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
