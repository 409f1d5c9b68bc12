package io.dflow.driver.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Renders a report as one HTML page that needs nothing else: its stylesheet, its script
 * ({@code report.css}, {@code report.js} beside this class) and the report's data as JSON are all
 * inlined, and the script draws the page from the data when it loads. A live page also fetches
 * the data again every few seconds from a URL of its own server.
 */
public final class HtmlReport {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEMPLATE = resource("report.html");
  private static final String CSS = resource("report.css");
  private static final String JS = resource("report.js");

  private HtmlReport() {}

  /** The page of {@code report}, which opens offline. */
  public static String render(AppReport report) {
    return render(report, "");
  }

  /** The page of {@code report}, refreshing itself from {@code liveData} (a URL; "" for none). */
  public static String render(AppReport report, String liveData) {
    // each placeholder is replaced once, the data last, so nothing in the data is taken for one
    return TEMPLATE.replace("__LIVE__", escapeAttribute(liveData))
        .replace("__TITLE__", escapeText("dflow report: " + (report.name().isEmpty() ? report.app() : report.name())))
        .replace("__CSS__", CSS)
        .replace("__JS__", JS)
        .replace("__DATA__", json(report));
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
        throw new IllegalStateException("the driver jar lacks " + name + " beside " + HtmlReport.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
