package io.dflow.planner.split;

import io.dflow.api.plan.InputFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counts how many bytes of a byte range each host holds, to name the best hosts for a split. */
final class HostRanking {
  private static final Comparator<Map.Entry<String, Long>> MOST_BYTES_FIRST =
      Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());

  private final Map<String, Long> bytesByHost = new HashMap<>();

  /** Adds the bytes {@code [start, end)} of {@code file}, credited to the hosts of their blocks. */
  HostRanking add(InputFile file, long start, long end) {
    for (InputFile.BlockInfo block : file.blocks()) {
      long overlap = Math.min(block.offset() + block.length(), end) - Math.max(block.offset(), start);
      if (overlap > 0) {
        for (String host : block.hosts()) {
          bytesByHost.merge(host, overlap, Long::sum);
        }
      }
    }
    return this;
  }

  /** Up to {@code max} hosts, most bytes first, ties by name. */
  List<String> top(int max) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(bytesByHost.entrySet());
    entries.sort(MOST_BYTES_FIRST);
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < entries.size() && i < max; i++) {
      hosts.add(entries.get(i).getKey());
    }
    return hosts;
  }

  static List<String> hostsOf(InputFile file, long start, long end, int max) {
    return new HostRanking().add(file, start, end).top(max);
  }
}
