package io.dflow.planner.split;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.InputFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Packs small files into splits of at most the split limit, like Hadoop's
 * {@code CombineFileInputFormat}: files are first grouped by the host holding most of their
 * bytes and packed per host, so a packed split stays local; each host's last, less than half
 * full split is pooled with the others' and repacked, so few splits are left small.
 */
final class SmallFilePacker {
  private static final Comparator<InputFile> BY_PATH = Comparator.comparing(InputFile::path);

  private SmallFilePacker() {}

  /** {@code files} must each be at most {@code maxSplitBytes} long and not empty. */
  static List<FileSplit> pack(List<InputFile> files, long maxSplitBytes) {
    Map<String, List<InputFile>> byHost = new TreeMap<>();
    List<InputFile> leftovers = new ArrayList<>();
    for (InputFile file : files) {
      List<String> best = HostRanking.hostsOf(file, 0, file.length(), 1);
      if (best.isEmpty()) {
        leftovers.add(file);
      } else {
        byHost.computeIfAbsent(best.get(0), h -> new ArrayList<>()).add(file);
      }
    }
    List<FileSplit> splits = new ArrayList<>();
    for (List<InputFile> group : byHost.values()) {
      List<List<InputFile>> bins = fill(group, maxSplitBytes);
      List<InputFile> last = bins.get(bins.size() - 1);
      if (bytes(last) * 2 < maxSplitBytes) {
        leftovers.addAll(last);
        bins.remove(bins.size() - 1);
      }
      bins.forEach(bin -> splits.add(toSplit(bin)));
    }
    leftovers.sort(BY_PATH);
    if (!leftovers.isEmpty()) {
      fill(leftovers, maxSplitBytes).forEach(bin -> splits.add(toSplit(bin)));
    }
    return splits;
  }

  /** First fit in the given order: a bin is closed when the next file would overflow it. */
  private static List<List<InputFile>> fill(List<InputFile> files, long maxSplitBytes) {
    List<List<InputFile>> bins = new ArrayList<>();
    List<InputFile> bin = new ArrayList<>();
    long binBytes = 0;
    for (InputFile file : files) {
      if (!bin.isEmpty() && binBytes + file.length() > maxSplitBytes) {
        bins.add(bin);
        bin = new ArrayList<>();
        binBytes = 0;
      }
      bin.add(file);
      binBytes += file.length();
    }
    bins.add(bin);
    return bins;
  }

  private static long bytes(List<InputFile> files) {
    return files.stream().mapToLong(InputFile::length).sum();
  }

  private static FileSplit toSplit(List<InputFile> bin) {
    HostRanking ranking = new HostRanking();
    List<FileSplit.Segment> segments = new ArrayList<>();
    for (InputFile file : bin) {
      segments.add(new FileSplit.Segment(file.path(), 0, file.length()));
      ranking.add(file, 0, file.length());
    }
    return new FileSplit(segments, ranking.top(SplitPlanner.MAX_HOSTS));
  }
}
