package io.dflow.planner.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.InputFile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Packing many small files spread over many hosts, as a cluster's input folder is: every byte
 * in exactly one split, splits within the limit and few more than the bytes need, and nearly
 * every byte of a split on the first host it names (what a node-local task reads locally).
 * {@code bench/splits.sh} runs {@link SplitPlacement} at 100,000 files over 1,000 hosts.
 */
class SmallFilesAtScaleTest {
  @Test
  void twentyThousandFilesOverTwoHundredHostsPackLocallyAndTightly() {
    SplitPlacement.Result r = SplitPlacement.run(20_000, 200, 3, 128L << 20, 42);
    List<FileSplit> splits = r.splits();
    Map<String, Long> covered = new HashMap<>();
    for (FileSplit s : splits) {
      assertTrue(s.totalBytes() <= 128L << 20, "a split over the limit: " + s.totalBytes());
      for (FileSplit.Segment seg : s.segments()) {
        assertEquals(null, covered.put(seg.path(), seg.length()), seg.path() + " in two splits");
      }
    }
    Map<String, Long> lengths = new HashMap<>();
    r.files().forEach(f -> lengths.put(f.path(), f.length()));
    assertEquals(lengths, covered, "every file whole, in exactly one split");
    long total = lengths.values().stream().mapToLong(Long::longValue).sum();
    long ideal = (total + (128L << 20) - 1) / (128L << 20);
    assertTrue(splits.size() <= ideal * 1.10, splits.size() + " splits for an ideal " + ideal);
    assertTrue(r.localShare() >= 0.95, "bytes on their split's first host: " + r.localShare());
  }

  @Test
  void theLocalShareIsCountedFromTheBlocksNotFromTheSplitsOwnClaim() {
    // one file on host h1, one on h2: packed together they cannot both be local to one host
    List<InputFile> files = List.of(
        new InputFile("/a", 10, List.of(new InputFile.BlockInfo(0, 10, List.of("h1")))),
        new InputFile("/b", 30, List.of(new InputFile.BlockInfo(0, 30, List.of("h2")))));
    List<FileSplit> one = List.of(new FileSplit(List.of(new FileSplit.Segment("/a", 0, 10),
        new FileSplit.Segment("/b", 0, 30)), List.of("h2", "h1")));
    assertEquals(0.75, SplitPlacement.localShare(files, one), 1e-12);
  }
}
