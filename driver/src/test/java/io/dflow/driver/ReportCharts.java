package io.dflow.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the report's ECharts charts drew, read from the DOM headless Chromium serialised: the
 * SVG elements of the timeline bars, the DAG's nodes and its edges (each carries the name the
 * page gave it, {@code task-bar <attempt>}, {@code dag-node <stage>}, {@code dag-edge <from> <to>},
 * as {@code ecmeta_name}), and the boxplot's rows.
 */
public final class ReportCharts {
  private ReportCharts() {}

  /** {@code 1.0/7.0 TaskFailed}: stage.attempt/partition.attempt reason of each bar drawn in the timeline. */
  public static List<String> timelineBars(String dom) {
    return groups(section(dom, "timeline"), "<path [^>]*ecmeta_name=\"task-bar ([^\"]*)\"");
  }

  /** The stage ids of the DAG's nodes drawn. */
  public static List<String> dagNodes(String dom) {
    return groups(section(dom, "dag"), "<path [^>]*ecmeta_name=\"dag-node (\\d+)\"");
  }

  /** {@code 0->1}: the DAG's edges drawn, from the stage read to the stage reading it. */
  public static List<String> dagEdges(String dom) {
    return groups(section(dom, "dag"), "<path [^>]*ecmeta_name=\"dag-edge (\\d+ \\d+)\"").stream()
        .map(e -> e.replace(" ", "->")).toList();
  }

  /** The rows of the task duration boxplot, {@code 1.0} for stage 1's attempt 0, as its axis labels were drawn. */
  public static List<String> boxplotRows(String dom) {
    return groups(section(dom, "durations"), "<text[^>]*>stage (\\d+\\.\\d+)</text>");
  }

  /** The stage attempts of {@code events} with a successful task, {@code stage.attempt}, in order of their first. */
  public static List<String> stageAttempts(List<JsonNode> events) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : events) {
      String key = e.path("stage").asInt() + "." + e.path("stageAttempt").asInt();
      if (e.path("event").asText().equals("TaskEnd") && e.path("reason").asText().equals("Success")
          && !out.contains(key)) {
        out.add(key);
      }
    }
    return out;
  }

  /** The version of ECharts the driver's lock file pins. */
  public static String pinnedEchartsVersion() throws IOException {
    JsonNode lock = new ObjectMapper().readTree(Path.of("src/main/report/package-lock.json").toFile());
    return lock.path("packages").path("node_modules/echarts").path("version").asText();
  }

  /** The markup of the page's {@code <section id="id">}. */
  static String section(String dom, String id) {
    Matcher m = Pattern.compile("<section id=\"" + id + "\">.*?</section>", Pattern.DOTALL).matcher(dom);
    return m.find() ? m.group() : "";
  }

  private static List<String> groups(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
