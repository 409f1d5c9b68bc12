package io.dflow.api.plan;

import java.io.Serializable;
import java.util.List;

/**
 * The input of one task: byte ranges of one or more files (small files are packed together),
 * and the hosts that hold most of those bytes. A line that starts in a segment is read by that
 * segment's task, even if it ends past the segment.
 */
public record FileSplit(List<Segment> segments, List<String> hosts) implements Serializable {
  public FileSplit {
    segments = List.copyOf(segments);
    hosts = List.copyOf(hosts);
  }

  /** The bytes {@code [start, start + length)} of one file. */
  public record Segment(String path, long start, long length) implements Serializable {
    @Override
    public String toString() {
      return path + ":" + start + "+" + length;
    }
  }

  public long totalBytes() {
    return segments.stream().mapToLong(Segment::length).sum();
  }

  @Override
  public String toString() {
    return segments.size() == 1
        ? segments.get(0).toString()
        : segments.get(0) + " and " + (segments.size() - 1) + " more";
  }
}
