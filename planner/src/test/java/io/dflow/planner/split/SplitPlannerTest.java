package io.dflow.planner.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.InputFile;
import io.dflow.api.plan.InputFile.BlockInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SplitPlannerTest {

  @Test
  void aFileThatMustBeReadWholeIsOneSplitWhateverItsSize() {
    InputFile gz = new InputFile("/in/big.gz", 1000, List.of(new BlockInfo(0, 400, List.of("h1")),
        new BlockInfo(400, 400, List.of("h2")), new BlockInfo(800, 200, List.of("h2"))), false);
    List<FileSplit> splits = SplitPlanner.plan(List.of(gz), 300);
    assertEquals(List.of(new FileSplit.Segment("/in/big.gz", 0, 1000)), splits.get(0).segments());
    assertEquals(1, splits.size());
    assertEquals("h2", splits.get(0).hosts().get(0), "the host holding most of it first");
  }

  @Test
  void smallFilesWithoutHostsArePackedInPathOrder() {
    List<InputFile> files = List.of(file("/in/e", 30), file("/in/a", 30), file("/in/c", 30),
        file("/in/b", 30), file("/in/d", 30));
    assertPlan(files, 100, """
        /in/a:0+30 /in/b:0+30 /in/c:0+30
        /in/d:0+30 /in/e:0+30""");
  }

  @Test
  void emptyFilesGiveNoSplitAndNoFilesGiveNoSplits() {
    assertPlan(List.of(file("/in/empty", 0), file("/in/x", 5)), 100, "/in/x:0+5");
    assertEquals(List.of(), SplitPlanner.plan(List.of(file("/in/empty", 0)), 100));
    assertEquals(List.of(), SplitPlanner.plan(List.of(), 100));
  }

  @Test
  void bigFileIsCutOnBlockBoundariesIntoAsManyBlocksAsFit() {
    // 10 blocks of 10 bytes; 25 bytes allowed → two blocks per split. Block i is on hosts
    // i..i+2, so the two hosts shared by a split's blocks come first.
    InputFile big = blocked("/in/big", 10, 100, "h0", "h1", "h2", "h3", "h4", "h5");
    assertPlan(List.of(big), 25, """
        /in/big:0+20 on h1,h2,h0
        /in/big:20+20 on h3,h4,h2
        /in/big:40+20 on h0,h5,h1
        /in/big:60+20 on h1,h2,h0
        /in/big:80+20 on h3,h4,h2""");
  }

  @Test
  void lastPieceTakesUpToTenPercentSlop() {
    assertPlan(List.of(file("/in/f", 110)), 50, """
        /in/f:0+50
        /in/f:50+50
        /in/f:100+10""");
    assertPlan(List.of(file("/in/g", 105)), 50, """
        /in/g:0+50
        /in/g:50+55""");
    assertPlan(List.of(file("/in/h", 54)), 50, "/in/h:0+54");
  }

  @Test
  void blocksBiggerThanTheLimitAreCutAtTheLimitWithHostsOfTheMajorityBlock() {
    InputFile file = new InputFile("/in/f", 256, List.of(
        new BlockInfo(0, 128, List.of("a1", "a2")),
        new BlockInfo(128, 128, List.of("b1", "b2"))));
    assertPlan(List.of(file), 100, """
        /in/f:0+100 on a1,a2
        /in/f:100+100 on b1,b2,a1
        /in/f:200+56 on b1,b2""");
  }

  @Test
  void smallFilesArePackedPerHostAndNameTheHostsWithMostBytes() {
    List<InputFile> files = List.of(
        located("/in/a1", 40, "a", "x"), located("/in/a2", 40, "a", "y"), located("/in/a3", 40, "a", "x"),
        located("/in/b1", 45, "b", "x"), located("/in/b2", 45, "b", "z"),
        located("/in/c1", 10, "c"), file("/in/n1", 10));
    // a: [a1,a2] is full enough; a3 alone is under half → pooled with c1 and n1.
    assertPlan(files, 100, """
        /in/a1:0+40 /in/a2:0+40 on a,x,y
        /in/a3:0+40 /in/c1:0+10 /in/n1:0+10 on a,x,c
        /in/b1:0+45 /in/b2:0+45 on b,x,z""");
  }

  @Test
  void aFileJustOverTheLimitIsOneSplitOfItsOwn() {
    assertPlan(List.of(file("/in/a", 10), file("/in/b", 105), file("/in/c", 10)), 100, """
        /in/a:0+10 /in/c:0+10
        /in/b:0+105""");
  }

  @Test
  void rejectsANonPositiveLimit() {
    assertThrows(IllegalArgumentException.class, () -> SplitPlanner.plan(List.of(), 0));
  }

  @Test
  void randomInputsAreCoveredExactlyOnceWithinLimitsAndOrderDoesNotMatter() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      long max = 1 + random.nextInt(500);
      List<InputFile> files = new ArrayList<>();
      int count = random.nextInt(30);
      for (int i = 0; i < count; i++) {
        long blockSize = 1 + random.nextInt(300);
        int length = random.nextInt(2000);
        files.add(blocked("/in/f" + i, blockSize, length, "h" + random.nextInt(4), "h" + random.nextInt(4)));
      }
      List<FileSplit> splits = SplitPlanner.plan(files, max);
      List<InputFile> shuffled = new ArrayList<>(files);
      Collections.shuffle(shuffled, random);
      assertEquals(splits, SplitPlanner.plan(shuffled, max), "order must not matter");
      for (FileSplit split : splits) {
        assertTrue(split.totalBytes() <= Math.max(max, (long) (max * FileCutter.SLOP)), split::toString);
        assertTrue(split.hosts().size() <= SplitPlanner.MAX_HOSTS);
      }
      for (InputFile file : files) {
        List<FileSplit.Segment> mine = splits.stream().flatMap(s -> s.segments().stream())
            .filter(s -> s.path().equals(file.path())).collect(Collectors.toList());
        long next = 0;
        for (FileSplit.Segment segment : mine) {
          assertEquals(next, segment.start(), "contiguous cover of " + file.path());
          assertTrue(segment.length() > 0);
          next += segment.length();
        }
        assertEquals(file.length(), next, "whole of " + file.path());
      }
    }
  }

  private static void assertPlan(List<InputFile> files, long max, String expected) {
    String actual = SplitPlanner.plan(files, max).stream().map(SplitPlannerTest::render)
        .collect(Collectors.joining("\n"));
    assertEquals(expected, actual);
  }

  private static String render(FileSplit split) {
    String segments = split.segments().stream().map(FileSplit.Segment::toString).collect(Collectors.joining(" "));
    return split.hosts().isEmpty() ? segments : segments + " on " + String.join(",", split.hosts());
  }

  private static InputFile file(String path, long length) {
    return new InputFile(path, length, List.of());
  }

  private static InputFile located(String path, long length, String... hosts) {
    return new InputFile(path, length, List.of(new BlockInfo(0, length, List.of(hosts))));
  }

  /** Blocks of {@code blockSize}; block i is on hosts i, i+1 and i+2 (mod the host count). */
  private static InputFile blocked(String path, long blockSize, long length, String... hosts) {
    List<BlockInfo> blocks = new ArrayList<>();
    for (long offset = 0, i = 0; offset < length; offset += blockSize, i++) {
      List<String> replicas = new ArrayList<>();
      for (int r = 0; r < Math.min(3, hosts.length); r++) {
        String host = hosts[(int) ((i + r) % hosts.length)];
        if (!replicas.contains(host)) {
          replicas.add(host);
        }
      }
      blocks.add(new BlockInfo(offset, Math.min(blockSize, length - offset), replicas));
    }
    return new InputFile(path, length, blocks);
  }
}
