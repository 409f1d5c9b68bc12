package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.Pair;
import io.dflow.api.StableHash;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.ShuffleSpec.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code groupByKey}'s reduce side through {@link Merger}: with 64 KiB of execution memory a key
 * of 300,000 values (several MiB as objects) streams from the merge once, with the right count
 * and sum, while small keys come out as lists equal to a plain-Java reference; a streamed group
 * that is not iterated (or half iterated) is skipped correctly; a second iteration and one after
 * the next key fail saying why; keys sharing the big key's hash are kept apart; nothing is left
 * held.
 */
class StreamedGroupsTest {
  private static final long TINY = 64 << 10;
  private static final int BIG = 300_000;
  private static final ShuffleSpec GROUP = new ShuffleSpec(Kind.GROUP, "groupByKey", new HashPartitioner(1), 1,
      Encoders.strings(), Encoders.longs(), null, null);

  @TempDir
  Path dir;
  private final List<Closeable> closeAtEnd = new ArrayList<>();
  private SortSettings settings;

  @AfterEach
  void close() throws IOException {
    for (Closeable c : closeAtEnd) {
      c.close();
    }
  }

  /** "big" with {@link #BIG} values, its hash-mates and 400 small keys with 1..5 values each, shuffled. */
  private static List<Object> records(List<String> bigHashMates) {
    List<Object> records = new ArrayList<>();
    for (long v = 0; v < BIG; v++) {
      records.add(Pair.of("big", v));
    }
    for (int k = 0; k < 400; k++) {
      for (int v = 0; v <= k % 5; v++) {
        records.add(Pair.of("small-" + k, (long) k * 10 + v));
      }
    }
    for (String mate : bigHashMates) {
      for (long v = 0; v < 50; v++) {
        records.add(Pair.of(mate, -v));
      }
    }
    Collections.shuffle(records, new Random(5));
    return records;
  }

  private static Map<String, List<Long>> reference(List<Object> records) {
    Map<String, List<Long>> out = new TreeMap<>();
    for (Object r : records) {
      Pair<?, ?> p = (Pair<?, ?>) r;
      out.computeIfAbsent((String) p.key(), k -> new ArrayList<>()).add((Long) p.value());
    }
    out.values().forEach(Collections::sort);
    return out;
  }

  private Iterator<Object> grouped(List<Object> records) throws IOException {
    settings = ShuffleFixtures.settings(java.nio.file.Files.createTempDirectory(dir, "spills"), TINY, closeAtEnd);
    return Merger.merge(GROUP, false, records.iterator(), settings);
  }

  @Test
  void aKeyLargerThanMemoryStreamsOnceAndSmallKeysAreLists() throws IOException {
    List<Object> records = records(List.of());
    Map<String, List<Long>> expected = reference(records);
    Map<String, List<Long>> actual = new TreeMap<>();
    Iterator<Object> groups = grouped(records);
    long bigCount = 0;
    long bigSum = 0;
    while (groups.hasNext()) {
      Pair<?, ?> group = (Pair<?, ?>) groups.next();
      Iterable<?> values = (Iterable<?>) group.value();
      if (group.key().equals("big")) {
        assertFalse(values instanceof List, "300,000 values do not fit in 64 KiB: streamed");
        for (Object v : values) {
          bigCount++;
          bigSum += (Long) v;
        }
        IllegalStateException twice = assertThrows(IllegalStateException.class, values::iterator);
        assertTrue(twice.getMessage().contains("key big") && twice.getMessage().contains("can be iterated once"),
            twice.getMessage());
      } else {
        assertInstanceOf(List.class, values, "a small key's values are a list");
        List<Long> copy = new ArrayList<>();
        values.forEach(v -> copy.add((Long) v));
        values.forEach(v -> { }); // a list iterates again
        Collections.sort(copy);
        assertEquals(null, actual.put((String) group.key(), copy), "key " + group.key() + " twice");
      }
    }
    assertEquals(BIG, bigCount);
    assertEquals((long) BIG * (BIG - 1) / 2, bigSum);
    expected.remove("big");
    assertEquals(expected, actual);
    assertTrue(settings.metrics().spills() > 0, "the sorter spilled");
    assertEquals(0, settings.memory().held(), "the read-ahead memory is given back");
  }

  @Test
  void aStreamedGroupNotIteratedOrHalfIteratedIsSkippedAndThenRefused() throws IOException {
    for (int read : new int[] {0, 1000}) {
      List<Object> records = records(List.of());
      Map<String, List<Long>> expected = reference(records);
      expected.remove("big");
      Map<String, List<Long>> actual = new TreeMap<>();
      Iterable<?> big = null;
      Iterator<?> bigIterator = null;
      Iterator<Object> groups = grouped(records);
      while (groups.hasNext()) {
        Pair<?, ?> group = (Pair<?, ?>) groups.next();
        if (group.key().equals("big")) {
          big = (Iterable<?>) group.value();
          if (read > 0) {
            bigIterator = big.iterator();
            for (int i = 0; i < read; i++) {
              bigIterator.next();
            }
          }
          continue;
        }
        List<Long> copy = new ArrayList<>();
        ((Iterable<?>) group.value()).forEach(v -> copy.add((Long) v));
        Collections.sort(copy);
        actual.put((String) group.key(), copy);
      }
      assertEquals(expected, actual, "the keys after a skipped big one, read " + read);
      Iterable<?> passed = big;
      Iterator<?> half = bigIterator;
      IllegalStateException late = read == 0
          ? assertThrows(IllegalStateException.class, passed::iterator)
          : assertThrows(IllegalStateException.class, half::hasNext);
      assertTrue(late.getMessage().contains("passed over when the next key was taken"), late.getMessage());
    }
  }

  @Test
  void keysSharingTheBigKeysHashAreGroupedApart() throws IOException {
    // "Aa" and "BB" have one String hash: every string of n such pairs shares it
    List<String> mates = ExternalSorterTest.colliding(3);
    assertEquals(StableHash.of(mates.get(0)), StableHash.of(mates.get(7)));
    List<Object> records = new ArrayList<>();
    for (long v = 0; v < BIG; v++) {
      records.add(Pair.of(mates.get(0), v));
      if (v % 6000 == 0) {
        records.add(Pair.of(mates.get((int) (1 + v / 6000 % 7)), v));
      }
    }
    Map<String, List<Long>> expected = reference(records);
    Map<String, Long> expectedSums = new TreeMap<>();
    expected.forEach((k, vs) -> expectedSums.put(k, vs.stream().mapToLong(Long::longValue).sum()));
    Map<String, Long> sums = new TreeMap<>();
    Iterator<Object> groups = grouped(records);
    while (groups.hasNext()) {
      Pair<?, ?> group = (Pair<?, ?>) groups.next();
      long sum = 0;
      for (Object v : (Iterable<?>) group.value()) {
        sum += (Long) v;
      }
      assertEquals(null, sums.put((String) group.key(), sum), "key " + group.key() + " twice");
    }
    assertEquals(expectedSums, sums);
  }

  @Test
  void noRecordsNoGroups() throws IOException {
    assertFalse(grouped(List.of()).hasNext());
  }
}
