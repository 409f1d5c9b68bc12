package io.dflow.driver.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads event logs back: every event of one log, and a summary of each application in a folder
 * of them. A log whose application did not end (it crashed, or still runs) is read as far as
 * its last whole line and marked incomplete.
 */
public final class EventLogs {
  private EventLogs() {}

  /** What {@code dflow history} shows of one application. */
  public record Summary(String app, String name, long startMillis, long durationMillis, String status, Path file) {}

  /** The events of a log, in order; a line cut short by a crash is left out. */
  public static List<JsonNode> read(Path file) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        try {
          events.add(EventLog.JSON.readTree(line));
        } catch (JsonProcessingException e) {
          break; // the last line of a log whose writer died while writing it
        }
      }
    } catch (java.io.EOFException e) {
      // a gzip stream cut short: keep what was read
    }
    return events;
  }

  /** Every application logged in {@code dir}, newest first. */
  public static List<Summary> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Summary> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(EventLogs::isLog).toList()) {
        Summary s = summarise(f);
        if (s != null) {
          out.add(s);
        }
      }
    }
    out.sort(Comparator.comparingLong(Summary::startMillis).reversed());
    return out;
  }

  /** The log of application {@code app} in {@code dir}, finished or not. */
  public static Path find(Path dir, String app) throws IOException {
    for (String suffix : List.of(".jsonl", ".jsonl.gz", EventLog.IN_PROGRESS)) {
      Path p = dir.resolve(app + suffix);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IOException("no event log of application " + app + " in " + dir);
  }

  private static boolean isLog(Path f) {
    String name = f.getFileName().toString();
    return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.endsWith(EventLog.IN_PROGRESS);
  }

  static Summary summarise(Path file) throws IOException {
    List<JsonNode> events = read(file);
    if (events.isEmpty() || !"ApplicationStart".equals(events.get(0).path("event").asText())) {
      return null;
    }
    JsonNode start = events.get(0);
    JsonNode last = events.get(events.size() - 1);
    boolean ended = "ApplicationEnd".equals(last.path("event").asText());
    long startMillis = start.path("time").asLong();
    return new Summary(start.path("app").asText(), start.path("name").asText(), startMillis,
        last.path("time").asLong() - startMillis, ended ? last.path("status").asText() : "incomplete", file);
  }
}
