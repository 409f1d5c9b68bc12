package io.dflow.planner.split;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.InputFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Split planning over a generated folder of small files (sizes 1 to 16 MiB, each block's
 * replicas on distinct random hosts): how long it takes and how local and tight the splits
 * are. A test runs it small; {@code bench/splits.sh} runs {@code main} at scale.
 */
public final class SplitPlacement {
  /** The files made, the splits planned, the planning time, and the share of bytes on their split's first host. */
  record Result(List<InputFile> files, List<FileSplit> splits, long planNanos, double localShare) {}

  private SplitPlacement() {}

  static Result run(int files, int hosts, int replicas, long maxSplitBytes, long seed) {
    Random random = new Random(seed);
    List<InputFile> input = new ArrayList<>(files);
    for (int i = 0; i < files; i++) {
      long length = (1L << 20) + (long) (random.nextDouble() * (15L << 20));
      List<String> holders = new ArrayList<>(replicas);
      while (holders.size() < replicas) {
        String h = "host-" + random.nextInt(hosts);
        if (!holders.contains(h)) {
          holders.add(h);
        }
      }
      input.add(new InputFile(String.format("/in/part-%06d", i), length,
          List.of(new InputFile.BlockInfo(0, length, holders))));
    }
    long start = System.nanoTime();
    List<FileSplit> splits = SplitPlanner.plan(input, maxSplitBytes);
    long nanos = System.nanoTime() - start;
    return new Result(input, splits, nanos, localShare(input, splits));
  }

  /** The share of all split bytes that the first host each split names holds a replica of. */
  static double localShare(List<InputFile> files, List<FileSplit> splits) {
    Map<String, InputFile> byPath = new HashMap<>();
    files.forEach(f -> byPath.put(f.path(), f));
    long local = 0;
    long total = 0;
    for (FileSplit split : splits) {
      String first = split.hosts().isEmpty() ? null : split.hosts().get(0);
      for (FileSplit.Segment seg : split.segments()) {
        total += seg.length();
        for (InputFile.BlockInfo b : byPath.get(seg.path()).blocks()) {
          long overlap = Math.min(b.offset() + b.length(), seg.start() + seg.length())
              - Math.max(b.offset(), seg.start());
          if (overlap > 0 && b.hosts().contains(first)) {
            local += overlap;
          }
        }
      }
    }
    return total == 0 ? 1 : (double) local / total;
  }

  /** {@code SplitPlacement FILES HOSTS [REPLICAS] [SEED]}: one planning run, its figures on one line. */
  public static void main(String[] args) {
    int files = Integer.parseInt(args[0]);
    int hosts = Integer.parseInt(args[1]);
    int replicas = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
    Result r = run(files, hosts, replicas, 128L << 20, seed);
    long total = r.files().stream().mapToLong(InputFile::length).sum();
    long ideal = (total + (128L << 20) - 1) / (128L << 20);
    System.out.printf(java.util.Locale.ROOT,
        "files %d hosts %d replicas %d: planned %d splits (ideal %d, %.3fx) in %.0f ms; %.2f%% of bytes on their"
            + " split's first host%n", files, hosts, replicas, r.splits().size(), ideal,
        (double) r.splits().size() / ideal, r.planNanos() / 1e6, 100 * r.localShare());
  }
}
