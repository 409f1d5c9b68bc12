package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.KeyOrder;
import io.dflow.api.Pair;
import io.dflow.api.plan.Join;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.ShuffleSpec.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SortMergeJoiner} over inputs sorted by {@link Merger} (spilling with 64 KiB of memory):
 * every join kind equals a nested-loop reference computed here, with duplicate keys on both
 * sides, a skewed key whose 40,000 right values go to disk, null keys (20,000 of them on one side
 * going to disk too), and either side empty;
 * the held values' files are gone and the memory given back once the task's closeables close.
 */
class SortMergeJoinerTest {
  private static final long TINY = 64 << 10;
  private static final ShuffleSpec LEFT = sortSpec(Encoders.strings());
  private static final ShuffleSpec RIGHT = sortSpec(Encoders.longs());

  @TempDir
  Path dir;

  private static ShuffleSpec sortSpec(io.dflow.api.Encoder<?> values) {
    return new ShuffleSpec(Kind.SORT, "sortMergeJoin", new HashPartitioner(1), 1, Encoders.strings(), values,
        null, KeyOrder.ASCENDING);
  }

  private static List<Object> left(Random random) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < 6000; i++) {
      int k = random.nextInt(900);
      out.add(Pair.of(k == 0 ? null : "k" + k, "l" + i));
    }
    for (int i = 0; i < 3; i++) {
      out.add(Pair.of("skew", "ls" + i));
    }
    return out;
  }

  private static List<Object> right(Random random) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      int k = 400 + random.nextInt(900); // overlaps keys 400..899 of the left
      out.add(Pair.of(k == 400 ? null : "k" + k, (long) i));
    }
    for (long i = 0; i < 40_000; i++) {
      out.add(Pair.of("skew", i));
    }
    return out;
  }

  /** Every joined record by nested loops, as strings, sorted. */
  private static List<String> reference(Join join, List<Object> left, List<Object> right) {
    List<String> out = new ArrayList<>();
    for (Object l : left) {
      Pair<?, ?> lp = (Pair<?, ?>) l;
      boolean matched = false;
      for (Object r : right) {
        Pair<?, ?> rp = (Pair<?, ?>) r;
        if (java.util.Objects.equals(lp.key(), rp.key())) {
          matched = true;
          out.add(lp.key() + "=" + join.both(lp.value(), rp.value()));
        }
      }
      if (!matched && join.keepsLeftOnly()) {
        out.add(lp.key() + "=" + join.leftOnly(lp.value()));
      }
    }
    if (join.keepsRightOnly()) {
      for (Object r : right) {
        Pair<?, ?> rp = (Pair<?, ?>) r;
        if (left.stream().noneMatch(l -> java.util.Objects.equals(((Pair<?, ?>) l).key(), rp.key()))) {
          out.add(rp.key() + "=" + join.rightOnly(rp.value()));
        }
      }
    }
    Collections.sort(out);
    return out;
  }

  private List<String> joined(Join join, List<Object> left, List<Object> right) throws IOException {
    return joined(join, left, right, TINY).records();
  }

  /** The joined records, sorted, and how often the joiner itself (not the sorts before it) spilled. */
  private record Joined(List<String> records, int joinSpills) {}

  /** Sorts the inputs in {@code sortMemory} bytes and joins them in {@link #TINY}. */
  private Joined joined(Join join, List<Object> left, List<Object> right, long sortMemory) throws IOException {
    Path spills = Files.createTempDirectory(dir, "spills");
    List<Closeable> closeAtEnd = new ArrayList<>();
    SortSettings sorting = ShuffleFixtures.settings(Files.createDirectory(spills.resolve("sort")), sortMemory,
        closeAtEnd);
    SortSettings settings = ShuffleFixtures.settings(Files.createDirectory(spills.resolve("join")), TINY, closeAtEnd);
    List<String> out = new ArrayList<>();
    try {
      Iterator<Object> l = Merger.merge(LEFT, false, left.iterator(), sorting);
      Iterator<Object> r = Merger.merge(RIGHT, false, right.iterator(), sorting);
      new SortMergeJoiner(join, LEFT, RIGHT, l, r, settings)
          .forEachRemaining(p -> out.add(((Pair<?, ?>) p).key() + "=" + ((Pair<?, ?>) p).value()));
    } finally {
      for (Closeable c : closeAtEnd) {
        c.close();
      }
    }
    assertEquals(0, settings.memory().held() + sorting.memory().held(), "memory given back");
    try (Stream<Path> left1 = Files.walk(spills)) {
      assertEquals(List.of(), left1.filter(Files::isRegularFile).toList(), "spill files left");
    }
    if (right.size() > 40_000) {
      assertTrue(settings.metrics().spills() + sorting.metrics().spills() > 0,
          "the sorters and the skewed key's values spilled");
    }
    Collections.sort(out);
    return new Joined(out, settings.metrics().spills());
  }

  @Test
  void everyJoinKindEqualsNestedLoops() throws IOException {
    List<Object> left = left(new Random(3));
    List<Object> right = right(new Random(4));
    for (Join join : Join.values()) {
      assertEquals(reference(join, left, right), joined(join, left, right), join.step());
    }
  }

  @Test
  void anEmptySideGivesTheOuterSideOnlyOrNothing() throws IOException {
    List<Object> left = left(new Random(5));
    List<Object> right = right(new Random(6));
    for (Join join : Join.values()) {
      assertEquals(reference(join, left, List.of()), joined(join, left, List.of()), join.step() + ", right empty");
      assertEquals(reference(join, List.of(), right), joined(join, List.of(), right), join.step() + ", left empty");
      assertEquals(List.of(), joined(join, List.of(), List.of()), join.step() + ", both empty");
    }
  }

  @Test
  void nullKeysByTheThousandGoToDiskAndStillJoinAsEquals() throws IOException {
    for (boolean manyOnLeft : new boolean[] {true, false}) {
      List<Object> left = new ArrayList<>();
      List<Object> right = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        if (manyOnLeft) {
          left.add(Pair.of(null, "ln" + i));
        } else {
          right.add(Pair.of(null, (long) i));
        }
      }
      for (int i = 0; i < 3; i++) {
        if (manyOnLeft) {
          right.add(Pair.of(null, -1L - i));
        } else {
          left.add(Pair.of(null, "lf" + i));
        }
      }
      for (int i = 0; i < 200; i++) {
        left.add(Pair.of("k" + i % 50, "l" + i));
        right.add(Pair.of("k" + (i % 70 + 30), (long) i));
      }
      for (Join join : Join.values()) {
        Joined got = joined(join, left, right, 64L << 20);
        String what = join.step() + (manyOnLeft ? ", 20,000 null keys on the left" : ", on the right");
        assertEquals(reference(join, left, right), got.records(), what);
        assertTrue(got.joinSpills() > 0, what + ": the null keys' values went to disk");
      }
    }
  }
}
