package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.KeyOrder;
import io.dflow.api.Pair;
import io.dflow.api.Partitioner;
import io.dflow.api.RangePartitioner;
import io.dflow.api.StableHash;
import io.dflow.api.plan.Aggregator;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.ShuffleSpec.Kind;
import io.dflow.arrow.Compression;
import io.dflow.executor.memory.ExecutionMemory;
import io.dflow.executor.memory.MemoryConsumer;
import io.dflow.executor.memory.TaskMemory;
import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ExternalSorter} in each of its modes, with execution memory small enough to force many
 * spills (checked through {@link SpillMetrics}) and with ample memory (no spill): partitioning
 * without order (the map side), grouping through {@link Merger} (GROUP), key order ascending and
 * descending for long, int, double, string (shared 4-character prefixes, supplementary
 * characters), boolean and Java-serialised Comparable keys (SORT), and aggregation with values in
 * (map side, reduceByKey, an aggregateByKey-like aggregator with another aggregate type) and with
 * aggregates in (reduce side). Every output is compared exactly with a plain-Java reference, on
 * skewed and unique keys, empty partitions and empty input; distinct keys of equal
 * {@link StableHash} stay apart; spills asked for by another consumer of the task while a sorter
 * fills or is read lose and duplicate nothing; spill files are gone and memory given back after
 * close; and only one partition's run readers are open at a time.
 */
class ExternalSorterTest {
  private static final long TINY = 64 << 10;
  private static final long SMALLEST = 16 << 10;
  private static final long AMPLE = 64 << 20;
  private static final int PARTS = 9;

  @TempDir
  Path tmp;
  private Path spillDir;
  private final AtomicInteger spillFiles = new AtomicInteger();
  private final List<Closeable> closeAtEnd = new ArrayList<>();
  private final List<TaskMemory> tasks = new ArrayList<>();

  @BeforeEach
  void makeSpillDir() throws IOException {
    spillDir = Files.createDirectories(tmp.resolve("spills"));
  }

  @AfterEach
  void nothingLeft() throws IOException {
    for (Closeable c : closeAtEnd) {
      c.close();
    }
    assertSpillDirEmpty();
    for (TaskMemory t : tasks) {
      assertEquals(0, t.held(), "every sorter gave its memory back");
      t.close();
    }
  }

  private void assertSpillDirEmpty() throws IOException {
    try (Stream<Path> left = Files.list(spillDir)) {
      assertEquals(List.of(), left.toList(), "spill files left behind");
    }
  }

  private SortSettings settings(long memory) {
    return settings(memory, Compression.LZ4);
  }

  private SortSettings settings(long memory, Compression compression) {
    TaskMemory task = new ExecutionMemory(memory).forTask("sorter-test", memory);
    tasks.add(task);
    return settings(task, compression);
  }

  private SortSettings settings(TaskMemory task, Compression compression) {
    return new SortSettings(task, () -> spillDir.resolve("run-" + spillFiles.incrementAndGet()), compression,
        ShuffleFixtures.POLICY, new SpillMetrics(), closeAtEnd::add);
  }

  /** Inserts everything into a sorter, reads every partition in order, closes it, checks it cleaned up. */
  private List<List<Object>> sort(SortSettings settings, Encoder<?> recordEncoder, int partitions,
      Partitioner partitioner, RecordOrder order, Aggregator aggregator, boolean aggregatesIn, List<?> records)
      throws IOException {
    List<List<Object>> out = new ArrayList<>();
    try (ExternalSorter sorter = new ExternalSorter(settings, recordEncoder, partitions, partitioner, order,
        aggregator, aggregatesIn)) {
      for (Object record : records) {
        sorter.insert(record);
      }
      for (int p = 0; p < partitions; p++) {
        List<Object> records1 = new ArrayList<>();
        sorter.partition(p).forEachRemaining(records1::add);
        out.add(records1);
      }
    }
    assertSpillDirEmpty();
    assertEquals(0, settings.memory().held(), "memory given back at close");
    return out;
  }

  /** A reduce-side merge by {@code spec} of {@code records}, read out, its sorter closed. */
  private List<Object> merge(ShuffleSpec spec, boolean aggregatesIn, List<?> records, SortSettings settings)
      throws IOException {
    int before = closeAtEnd.size();
    List<Object> out = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Iterator<Object> in = (Iterator<Object>) records.iterator();
    Merger.merge(spec, aggregatesIn, in, settings).forEachRemaining(r -> out.add(ShuffleFixtures.held(r)));
    for (Closeable c : closeAtEnd.subList(before, closeAtEnd.size())) {
      c.close();
    }
    closeAtEnd.subList(before, closeAtEnd.size()).clear();
    assertSpillDirEmpty();
    assertEquals(0, settings.memory().held());
    return out;
  }

  // ---- keys -------------------------------------------------------------------------------

  /** A Comparable user key, carried Java-serialised. */
  record Version(int major, String tag) implements Comparable<Version>, Serializable {
    @Override
    public int compareTo(Version o) {
      int c = Integer.compare(major, o.major);
      return c != 0 ? c : tag.compareTo(o.tag);
    }
  }

  /** An aggregate of another type than the values (strings): aggregateByKey-like. */
  record Stats(long count, long chars, String longest) implements Serializable {
    static Stats of(String v) {
      return new Stats(1, v.length(), v);
    }

    Stats plus(Stats o) {
      return new Stats(count + o.count, chars + o.chars, longer(longest, o.longest));
    }

    static String longer(String a, String b) {
      int c = Integer.compare(a.length(), b.length());
      return c > 0 || (c == 0 && a.compareTo(b) >= 0) ? a : b;
    }
  }

  private static final String[] PREFIXES = {"", "a", "ab", "abc", "abcd", "abcde", "abcd\u0000", "abcd\uFFFF",
      "😀", "😀😀", "a😀", "\uFFFF", "\uE000", "\uD7FF", "Aa", "BB", "AaBB", "BBAa", "zzzz"};
  private static final String[] DIGITS = {"a", "b", "ä", "😀", "\uFFFF", "\u0000", "€", "𝄞"};

  /** Strings that share their first four characters a lot, with supplementary characters. */
  static String stringKey(int i) {
    StringBuilder s = new StringBuilder(PREFIXES[i % PREFIXES.length]);
    for (int rest = i / PREFIXES.length; rest > 0; rest /= DIGITS.length) {
      s.append(DIGITS[rest % DIGITS.length]);
    }
    return s.toString();
  }

  /** {@code 2^n} distinct strings of one hash code: every word of n "Aa" / "BB" blocks. */
  static List<String> colliding(int n) {
    List<String> out = new ArrayList<>();
    for (int bits = 0; bits < 1 << n; bits++) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < n; i++) {
        s.append((bits >> i & 1) == 0 ? "Aa" : "BB");
      }
      out.add(s.toString());
    }
    return out;
  }

  private static final double[] SPECIAL_DOUBLES = {Double.NaN, -0.0, 0.0, Double.NEGATIVE_INFINITY,
      Double.POSITIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0};

  /** A kind of key: its encoder and the key of each index. */
  record KeyKind(String name, Encoder<?> encoder, IntFunction<Object> key) {}

  static List<KeyKind> keyKinds() {
    return List.of(
        new KeyKind("long", Encoders.longs(), i -> i == 0 ? Long.MIN_VALUE : i == 1 ? Long.MAX_VALUE
            : (long) i * 1_000_003L - 4_000_000_000L),
        new KeyKind("int", Encoders.ints(), i -> i == 0 ? Integer.MIN_VALUE : i == 1 ? Integer.MAX_VALUE
            : i * 7919 - 20_000_000),
        new KeyKind("double", Encoders.doubles(), i -> i < SPECIAL_DOUBLES.length ? SPECIAL_DOUBLES[i]
            : (i - 2000) * 0.37),
        new KeyKind("string", Encoders.strings(), ExternalSorterTest::stringKey),
        new KeyKind("boolean", Encoders.booleans(), i -> i % 3 == 0),
        new KeyKind("java", Encoders.java(Version.class), i -> new Version(i % 40 - 20, "t" + stringKey(i / 40))));
  }

  /** {@code n} keys, skewed (a few indexes very often) or all distinct. */
  static List<Integer> indexes(Random random, int n, int distinct, boolean skewed) {
    List<Integer> out = new ArrayList<>(n);
    if (skewed) {
      for (int i = 0; i < n; i++) {
        out.add((int) (distinct * Math.pow(random.nextDouble(), 4)));
      }
    } else {
      for (int i = 0; i < n; i++) {
        out.add(i);
      }
      Collections.shuffle(out, random);
    }
    return out;
  }

  /** Pair records of key {@code kind} with unique long values: the value tells records apart. */
  static List<Object> records(KeyKind kind, List<Integer> indexes) {
    List<Object> out = new ArrayList<>(indexes.size());
    for (int i = 0; i < indexes.size(); i++) {
      out.add(Pair.of(kind.key().apply(indexes.get(i)), (long) i));
    }
    return out;
  }

  private static Object keyOf(Object record) {
    return ((Pair<?, ?>) record).key();
  }

  // ---- no order: the map side --------------------------------------------------------------

  /** Sends keys to every third partition only, so partitions 1, 2, 4, 5, 7, 8 stay empty. */
  record EveryThird(int numPartitions) implements Partitioner {
    @Override
    public int partition(Object key) {
      return Math.floorMod(StableHash.of(key), 3) * 3;
    }
  }

  @Test
  void withoutOrderEachPartitionKeepsItsRecordsInArrivalOrder() throws IOException {
    Random random = new Random(1);
    KeyKind strings = keyKinds().get(3);
    for (boolean skewed : new boolean[] {true, false}) {
      for (Partitioner partitioner : List.of(new HashPartitioner(PARTS), new EveryThird(PARTS))) {
        List<Object> records = records(strings, indexes(random, 12_000, 3000, skewed));
        List<List<Object>> expected = new ArrayList<>();
        for (int p = 0; p < PARTS; p++) {
          expected.add(new ArrayList<>());
        }
        for (Object r : records) {
          expected.get(partitioner.partition(keyOf(r))).add(r);
        }
        for (long memory : new long[] {TINY, AMPLE}) {
          SortSettings settings = settings(memory);
          List<List<Object>> actual = sort(settings, Encoders.pairs(Encoders.strings(), Encoders.longs()), PARTS,
              partitioner, RecordOrder.NONE, null, false, records);
          String what = partitioner + (skewed ? " skewed" : " unique") + " with " + memory + " bytes";
          assertEquals(expected, actual, what);
          assertSpills(settings, memory == TINY, what);
        }
      }
    }
  }

  private static void assertSpills(SortSettings settings, boolean expected, String what) {
    if (expected) {
      assertTrue(settings.metrics().spills() >= 2, what + ": should have spilled, spills " + settings.metrics().spills());
      assertTrue(settings.metrics().bytes() > 0, what);
    } else {
      assertEquals(0, settings.metrics().spills(), what + ": nothing to spill with ample memory");
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void everySpillCodecGivesTheSameRecords(Compression compression) throws IOException {
    Random random = new Random(2);
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < 9000; i++) {
      byte[] value = new byte[random.nextInt(40)];
      random.nextBytes(value);
      records.add(Pair.of(i % 7 == 0 ? null : "k" + random.nextInt(500), value));
    }
    Encoder<?> encoder = Encoders.pairs(Encoders.strings(), Encoders.bytes());
    SortSettings settings = settings(TINY, compression);
    List<List<Object>> actual = sort(settings, encoder, 4, new HashPartitioner(4), RecordOrder.NONE, null, false,
        records);
    List<List<Object>> expected = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>()));
    for (Object r : records) {
      expected.get(new HashPartitioner(4).partition(keyOf(r))).add(r);
    }
    assertEquals(canonical(expected), canonical(actual), compression.toString());
    assertSpills(settings, true, compression.toString());
  }

  /** Byte arrays compared by content. */
  private static List<List<String>> canonical(List<List<Object>> partitions) {
    List<List<String>> out = new ArrayList<>();
    for (List<Object> records : partitions) {
      out.add(records.stream().map(r -> {
        Pair<?, ?> p = (Pair<?, ?>) r;
        return p.key() + "=" + (p.value() instanceof byte[] b ? Arrays.toString(b) : String.valueOf(p.value()));
      }).toList());
    }
    return out;
  }

  @Test
  void emptyInputGivesEmptyPartitionsInEveryMode() throws IOException {
    Encoder<?> encoder = Encoders.pairs(Encoders.strings(), Encoders.longs());
    Aggregator sum = Aggregator.reducing((a, b) -> (Long) a + (Long) b);
    for (long memory : new long[] {SMALLEST, AMPLE}) {
      SortSettings settings = settings(memory);
      List<List<Object>> none = List.of(List.of(), List.of(), List.of());
      assertEquals(none, sort(settings, encoder, 3, new HashPartitioner(3), RecordOrder.NONE, null, false, List.of()));
      assertEquals(none, sort(settings, encoder, 3, new HashPartitioner(3), RecordOrder.GROUPING, null, false,
          List.of()));
      assertEquals(none, sort(settings, encoder, 3, new HashPartitioner(3),
          RecordOrder.byKey(KeyOrder.DESCENDING, Encoders.strings()), null, false, List.of()));
      assertEquals(none, sort(settings, encoder, 3, new HashPartitioner(3), null, sum, false, List.of()));
      assertEquals(none, sort(settings, encoder, 3, new HashPartitioner(3), null, sum, true, List.of()));
      for (Kind kind : List.of(Kind.GROUP, Kind.SORT, Kind.AGGREGATE)) {
        ShuffleSpec spec = new ShuffleSpec(kind, kind.name(), new HashPartitioner(1), 1, Encoders.strings(),
            Encoders.longs(), kind == Kind.AGGREGATE ? sum : null, KeyOrder.ASCENDING);
        assertEquals(List.of(), merge(spec, true, List.of(), settings), kind.name());
      }
      assertEquals(0, settings.metrics().spills());
    }
  }

  // ---- key order ----------------------------------------------------------------------------

  @Test
  void sortsByEveryKeyKindAscendingAndDescendingLikeAStableListSort() throws IOException {
    Random random = new Random(3);
    for (KeyKind kind : keyKinds()) {
      int n = kind.name().equals("java") ? 2500 : 6000;
      for (boolean skewed : new boolean[] {true, false}) {
        List<Object> records = records(kind, indexes(random, n, n / 3, skewed));
        for (KeyOrder order : KeyOrder.values()) {
          List<Object> expected = new ArrayList<>(records);
          expected.sort((a, b) -> order.compare(keyOf(a), keyOf(b))); // stable: equal keys keep arrival order
          ShuffleSpec spec = new ShuffleSpec(Kind.SORT, "sortByKey", new HashPartitioner(1), 1, kind.encoder(),
              Encoders.longs(), null, order);
          for (long memory : new long[] {TINY, AMPLE}) {
            SortSettings settings = settings(memory);
            String what = kind.name() + " " + order + (skewed ? " skewed" : " unique") + " with " + memory;
            List<Object> actual = merge(spec, true, records, settings);
            assertEquals(expected.size(), actual.size(), what);
            assertSameRecords(expected, actual, what);
            assertSpills(settings, memory == TINY, what);
          }
        }
      }
    }
  }

  @Test
  void sortsByteKeysByTheirUnsignedBytesWhateverTheirLengthAndZerosAndHighBytes() throws IOException {
    byte[] alphabet = {0, 1, 'a', 0x7f, (byte) 0x80, (byte) 0xff};
    Random random = new Random(19);
    byte[][] stems = new byte[4][];
    for (int s = 0; s < stems.length; s++) {
      stems[s] = new byte[9 + s * 3]; // long keys that share their first 7, 14 bytes
      for (int j = 0; j < stems[s].length; j++) {
        stems[s][j] = alphabet[random.nextInt(alphabet.length)];
      }
    }
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < 6000; i++) {
      byte[] stem = random.nextBoolean() ? stems[random.nextInt(stems.length)] : new byte[0];
      byte[] key = java.util.Arrays.copyOf(stem, stem.length + random.nextInt(13)); // around seven-byte steps
      for (int j = stem.length; j < key.length; j++) {
        key[j] = alphabet[random.nextInt(alphabet.length)];
      }
      records.add(Pair.of(key, (long) i));
    }
    for (KeyOrder order : KeyOrder.values()) {
      List<Object> expected = new ArrayList<>(records);
      expected.sort((x, y) -> order.compare(keyOf(x), keyOf(y)));
      ShuffleSpec spec = new ShuffleSpec(Kind.SORT, "sortByKey", new HashPartitioner(1), 1, Encoders.bytes(),
          Encoders.longs(), null, order);
      for (long memory : new long[] {TINY, AMPLE}) {
        List<Object> actual = merge(spec, true, records, settings(memory));
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
          Pair<?, ?> e = (Pair<?, ?>) expected.get(i);
          Pair<?, ?> got = (Pair<?, ?>) actual.get(i);
          assertTrue(java.util.Arrays.equals((byte[]) e.key(), (byte[]) got.key()) && e.value().equals(got.value()),
              order + " with " + memory + ": record " + i + " is " + java.util.Arrays.toString((byte[]) got.key())
                  + "=" + got.value() + ", expected " + java.util.Arrays.toString((byte[]) e.key()) + "=" + e.value());
        }
      }
    }
  }

  @Test
  void aTaskFillingPagesAnEarlierTaskGaveBackSortsAsOnFreshOnes() throws IOException {
    ExecutionMemory executor = new ExecutionMemory(AMPLE);
    Random random = new Random(23);
    Encoder<?> bytesToLongs = Encoders.pairs(Encoders.bytes(), Encoders.longs());
    RecordOrder order = RecordOrder.byKey(KeyOrder.ASCENDING, Encoders.bytes());
    for (int task = 0; task < 3; task++) {
      List<Object> records = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        // the first task's long keys of 0xff leave their bytes where the next tasks' short keys go
        byte[] key = new byte[task == 0 ? 40 : random.nextInt(12)];
        for (int j = 0; j < key.length; j++) {
          key[j] = task == 0 ? (byte) 0xff : (byte) random.nextInt(3);
        }
        records.add(Pair.of(key, (long) i));
      }
      List<Object> expected = new ArrayList<>(records);
      expected.sort((x, y) -> KeyOrder.ASCENDING.compare(keyOf(x), keyOf(y)));
      long freeBefore = executor.freePageBytes();
      TaskMemory memory = executor.forTask("task-" + task, AMPLE);
      tasks.add(memory);
      List<Object> actual = sort(settings(memory, Compression.LZ4), bytesToLongs, 1, null, order, null, false,
          records).get(0);
      memory.close();
      assertEquals(expected.size(), actual.size());
      for (int i = 0; i < expected.size(); i++) {
        Pair<?, ?> e = (Pair<?, ?>) expected.get(i);
        Pair<?, ?> got = (Pair<?, ?>) actual.get(i);
        assertTrue(java.util.Arrays.equals((byte[]) e.key(), (byte[]) got.key()) && e.value().equals(got.value()),
            "task " + task + ", record " + i);
      }
      assertTrue(executor.freePageBytes() > 0, "the task gave its pages back");
      if (task > 0) {
        assertEquals(freeBefore, executor.freePageBytes(), "its fewer rows went to pages lent again, no new ones");
      }
    }
  }

  /** Equal lists, doubles by their bits (NaN, -0.0), naming the first difference. */
  private static void assertSameRecords(List<Object> expected, List<Object> actual, String what) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      Pair<?, ?> e = (Pair<?, ?>) expected.get(i);
      Pair<?, ?> a = (Pair<?, ?>) actual.get(i);
      if (!Objects.equals(e.key(), a.key()) || !Objects.equals(e.value(), a.value())) {
        throw new AssertionError(what + ": record " + i + " is " + show(a) + ", expected " + show(e));
      }
    }
    assertEquals(expected.size(), actual.size(), what);
  }

  private static String show(Pair<?, ?> p) {
    Object k = p.key();
    String key = k instanceof String s ? s.codePoints().mapToObj(Integer::toHexString).toList().toString()
        : String.valueOf(k);
    return "(" + key + ", " + p.value() + ")";
  }

  @Test
  void stringsThatTieOnTheirPrefixOrderByTheWholeString() throws IOException {
    List<String> keys = new ArrayList<>(List.of("abcd", "abcde", "abcd\u0000", "abc", "abcd\uFFFF", "abcdA",
        "ab", "ab\u0000", "ab\u0000\u0000", "😀", "😀\u0000", "\uFFFF", "\uE000", "\uD83D\uDE01", "\uD83D\uDE00x",
        "𝄞", "", "\u0000", "\u0000\u0000\u0000\u0000\u0000"));
    keys.addAll(colliding(5));
    List<Object> records = new ArrayList<>();
    Random random = new Random(4);
    for (int i = 0; i < 8000; i++) {
      records.add(Pair.of(keys.get(random.nextInt(keys.size())), (long) i));
    }
    for (KeyOrder order : KeyOrder.values()) {
      List<Object> expected = new ArrayList<>(records);
      expected.sort((a, b) -> order.compare(keyOf(a), keyOf(b)));
      ShuffleSpec spec = new ShuffleSpec(Kind.SORT, "sortByKey", new HashPartitioner(1), 1, Encoders.strings(),
          Encoders.longs(), null, order);
      for (long memory : new long[] {SMALLEST, AMPLE}) {
        SortSettings settings = settings(memory);
        assertSameRecords(expected, merge(spec, true, records, settings), order + " with " + memory);
        assertSpills(settings, memory == SMALLEST, order.toString());
      }
    }
  }

  @Test
  void sortsWithinEachPartitionOfARangePartitioner() throws IOException {
    Random random = new Random(5);
    for (KeyOrder order : KeyOrder.values()) {
      RangePartitioner partitioner = new RangePartitioner(order == KeyOrder.ASCENDING
          ? List.of(-1000L, 0L, 5000L) : List.of(5000L, 0L, -1000L), order);
      List<Object> records = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        records.add(Pair.of((long) random.nextInt(12_000) - 3000, (long) i));
      }
      List<Object> sorted = new ArrayList<>(records);
      sorted.sort((a, b) -> order.compare(keyOf(a), keyOf(b)));
      List<List<Object>> expected = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        int partition = p;
        expected.add(sorted.stream().filter(r -> partitioner.partition(keyOf(r)) == partition).toList());
        assertFalse(expected.get(p).isEmpty());
      }
      SortSettings settings = settings(TINY);
      assertEquals(expected, sort(settings, Encoders.pairs(Encoders.longs(), Encoders.longs()), 4, partitioner,
          RecordOrder.byKey(order, Encoders.longs()), null, false, records), order.toString());
      assertSpills(settings, true, order.toString());
    }
  }

  // ---- grouping -----------------------------------------------------------------------------

  @Test
  void groupingCollectsEveryValueOfAKeyOnceInArrivalOrder() throws IOException {
    Random random = new Random(6);
    List<String> collide = colliding(6);
    for (boolean skewed : new boolean[] {true, false}) {
      List<Object> records = new ArrayList<>();
      List<Integer> indexes = indexes(random, 15_000, 2000, skewed);
      for (int i = 0; i < indexes.size(); i++) {
        int k = indexes.get(i);
        String key = k % 10 == 0 ? collide.get(k / 10 % collide.size()) : k == 7 ? null : "g" + k;
        records.add(Pair.of(key, i % 101 == 0 ? null : "v" + i));
      }
      Map<Object, List<Object>> expected = new HashMap<>();
      for (Object r : records) {
        expected.computeIfAbsent(keyOf(r), k -> new ArrayList<>()).add(((Pair<?, ?>) r).value());
      }
      ShuffleSpec spec = new ShuffleSpec(Kind.GROUP, "groupByKey", new HashPartitioner(1), 1, Encoders.strings(),
          Encoders.strings(), null, null);
      for (long memory : new long[] {SMALLEST, TINY, AMPLE}) {
        SortSettings settings = settings(memory);
        String what = (skewed ? "skewed" : "unique") + " with " + memory;
        Map<Object, List<Object>> actual = new HashMap<>();
        for (Object r : merge(spec, true, records, settings)) {
          Pair<?, ?> group = (Pair<?, ?>) r;
          assertFalse(actual.containsKey(group.key()), what + ": key " + group.key() + " twice");
          actual.put(group.key(), new ArrayList<>((List<?>) group.value()));
        }
        assertEquals(expected, actual, what);
        assertSpills(settings, memory != AMPLE, what);
      }
    }
  }

  @Test
  void groupingBySortOnlyKeepsEqualHashesTogether() throws IOException {
    List<String> collide = colliding(4);
    List<Object> records = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < 8000; i++) {
      int k = random.nextInt(300);
      records.add(Pair.of(k < 16 ? collide.get(k) : "h" + k, (long) i));
    }
    SortSettings settings = settings(TINY);
    List<List<Object>> partitions = sort(settings, Encoders.pairs(Encoders.strings(), Encoders.longs()), 3,
        new HashPartitioner(3), RecordOrder.GROUPING, null, false, records);
    assertSpills(settings, true, "grouping");
    for (int p = 0; p < 3; p++) {
      int partition = p;
      List<Object> expected = records.stream().filter(r -> new HashPartitioner(3).partition(keyOf(r)) == partition)
          .sorted(Comparator.comparingInt(r -> StableHash.of(keyOf(r)))).toList(); // stable
      assertEquals(expected, partitions.get(p), "partition " + p + ": by hash, equal hashes in arrival order");
    }
  }

  // ---- aggregation --------------------------------------------------------------------------

  private static final Aggregator SUM = Aggregator.reducing((a, b) -> (Long) a + (Long) b);
  private static final Aggregator MAX = Aggregator.reducing((a, b) -> Math.max((Double) a, (Double) b));
  private static final Aggregator COUNT = new Aggregator(v -> 1, (a, v) -> (Integer) a + 1,
      (a, b) -> (Integer) a + (Integer) b);
  private static final Aggregator STATS = new Aggregator(v -> Stats.of((String) v),
      (a, v) -> ((Stats) a).plus(Stats.of((String) v)), (a, b) -> ((Stats) a).plus((Stats) b));

  /** An aggregation case: value and aggregate encoders, the aggregator, and a value per record. */
  record Agg(String name, Encoder<?> valueEncoder, Encoder<?> aggregateEncoder, Aggregator aggregator,
      IntFunction<Object> value) {}

  static List<Agg> aggregations(Random random) {
    return List.of(
        new Agg("reduceByKey sum", Encoders.longs(), Encoders.longs(), SUM, i -> (long) random.nextInt() - i),
        new Agg("reduceByKey max", Encoders.doubles(), Encoders.doubles(), MAX,
            i -> i % 50 == 0 ? SPECIAL_DOUBLES[i / 50 % SPECIAL_DOUBLES.length] : random.nextGaussian()),
        new Agg("count into ints", Encoders.strings(), Encoders.ints(), COUNT, i -> "s" + i),
        new Agg("aggregateByKey stats", Encoders.strings(), Encoders.java(Stats.class), STATS,
            i -> stringKey(random.nextInt(5000))));
  }

  /** The plain fold: each key's values turned into one aggregate, in arrival order. */
  private static Map<Object, Object> fold(Aggregator aggregator, List<Object> records) {
    Map<Object, Object> out = new HashMap<>();
    for (Object r : records) {
      Pair<?, ?> p = (Pair<?, ?>) r;
      out.put(p.key(), out.containsKey(p.key()) ? aggregator.mergeValue(out.get(p.key()), p.value())
          : aggregator.create(p.value()));
    }
    return out;
  }

  /** Keys of every kind of trouble: skewed or unique, colliding hashes, a null. */
  private static List<Object> aggregationKeys(Random random, int n, boolean skewed) {
    List<String> collide = colliding(5);
    List<Object> keys = new ArrayList<>();
    for (int k : indexes(random, n, 3000, skewed)) {
      keys.add(k % 9 == 0 ? collide.get(k / 9 % collide.size()) : k == 5 ? null : stringKey(k));
    }
    return keys;
  }

  /** Aggregates as a map, failing on a key given twice; doubles compared by bits. */
  private static Map<Object, Object> asMap(List<Object> records, String what) {
    Map<Object, Object> out = new HashMap<>();
    for (Object r : records) {
      Pair<?, ?> p = (Pair<?, ?>) r;
      assertFalse(out.containsKey(p.key()), what + ": key " + p.key() + " twice");
      out.put(p.key(), p.value() instanceof Double d ? Double.doubleToLongBits(d) : p.value());
    }
    return out;
  }

  private static Map<Object, Object> bitsOfDoubles(Map<Object, Object> map) {
    Map<Object, Object> out = new HashMap<>();
    map.forEach((k, v) -> out.put(k, v instanceof Double d ? Double.doubleToLongBits(d) : v));
    return out;
  }

  @Test
  void mapSideAggregationMatchesAPlainFoldPerPartition() throws IOException {
    Random random = new Random(8);
    for (Agg agg : aggregations(random)) {
      for (boolean skewed : new boolean[] {true, false}) {
        Partitioner partitioner = skewed ? new HashPartitioner(5) : new EveryThird(PARTS); // empty partitions too
        int n = partitioner.numPartitions();
        List<Object> keys = aggregationKeys(random, 12_000, skewed);
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
          records.add(Pair.of(keys.get(i), agg.value().apply(i)));
        }
        Map<Object, Object> expected = bitsOfDoubles(fold(agg.aggregator(), records));
        for (long memory : new long[] {SMALLEST, AMPLE}) {
          SortSettings settings = settings(memory);
          String what = agg.name() + (skewed ? " skewed" : " unique") + " with " + memory;
          List<List<Object>> partitions = sort(settings, Encoders.pairs(Encoders.strings(), agg.aggregateEncoder()),
              n, partitioner, RecordOrder.NONE, agg.aggregator(), false, records);
          Map<Object, Object> actual = new HashMap<>();
          for (int p = 0; p < n; p++) {
            assertEquals(p % 3 != 0 && n == PARTS, partitions.get(p).isEmpty(), what + " partition " + p);
            Map<Object, Object> partition = asMap(partitions.get(p), what);
            for (Object key : partition.keySet()) {
              assertEquals(p, partitioner.partition(key), what + ": key " + key + " in partition " + p);
              assertFalse(actual.containsKey(key), what + ": key " + key + " in two partitions");
            }
            actual.putAll(partition);
          }
          assertEquals(expected, actual, what);
          assertSpills(settings, memory == SMALLEST, what);
        }
      }
    }
  }

  /**
   * Long keys aggregated in the primitive table are read out slot by slot, partition by
   * partition: every key once, in its partition, with the key whose bits mark an empty slot and
   * the null key too, and the table regrown many times on the way.
   */
  @Test
  void longKeysOfThePrimitiveTableComeOutInTheirPartitionsWithTheirSpecialKeys() throws IOException {
    Random random = new Random(12);
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      int k = random.nextInt(9_000);
      Long key = k == 0 ? null : k == 1 ? Long.MIN_VALUE : k == 2 ? Long.MAX_VALUE : (long) k * 7_919 - 3_000_000;
      records.add(Pair.of(key, (long) random.nextInt(1000)));
    }
    Map<Object, Object> expected = fold(SUM, records);
    Partitioner partitioner = new HashPartitioner(PARTS);
    for (long memory : new long[] {SMALLEST, AMPLE}) {
      SortSettings settings = settings(memory);
      List<List<Object>> partitions = sort(settings, Encoders.pairs(Encoders.longs(), Encoders.longs()), PARTS,
          partitioner, RecordOrder.NONE, SUM, false, records);
      Map<Object, Object> actual = new HashMap<>();
      for (int p = 0; p < PARTS; p++) {
        for (Object key : asMap(partitions.get(p), "partition " + p).keySet()) {
          assertEquals(p, partitioner.partition(key), "key " + key + " in partition " + p);
        }
        for (Object r : partitions.get(p)) {
          assertFalse(actual.containsKey(keyOf(r)), "key " + keyOf(r) + " in two partitions");
          actual.put(keyOf(r), ((Pair<?, ?>) r).value());
        }
      }
      assertEquals(expected, actual, "with " + memory);
      assertSpills(settings, memory == SMALLEST, "with " + memory);
    }
  }

  @Test
  void reduceSideAggregationOfMapAggregatesMatchesTheWholeFold() throws IOException {
    Random random = new Random(9);
    int maps = 6;
    for (Agg agg : aggregations(random)) {
      for (boolean skewed : new boolean[] {true, false}) {
        List<Object> keys = aggregationKeys(random, 12_000, skewed);
        List<Object> values = new ArrayList<>();
        List<Object> aggregates = new ArrayList<>(); // what map tasks would send: one aggregate per key per map
        for (int m = 0; m < maps; m++) {
          List<Object> mapRecords = new ArrayList<>();
          for (int i = m; i < keys.size(); i += maps) {
            mapRecords.add(Pair.of(keys.get(i), agg.value().apply(i)));
          }
          values.addAll(mapRecords);
          fold(agg.aggregator(), mapRecords).forEach((k, v) -> aggregates.add(Pair.of(k, v)));
        }
        Collections.shuffle(aggregates, random);
        // the reference merges each key's aggregates in the order they arrive
        Map<Object, Object> expected = new HashMap<>();
        for (Object r : aggregates) {
          Pair<?, ?> p = (Pair<?, ?>) r;
          expected.merge(p.key(), p.value(), (a, b) -> agg.aggregator().mergeCombiners(a, b));
        }
        if (agg.aggregator() != MAX) {
          // exact arithmetic: the merged aggregates are the fold of all values
          assertEquals(bitsOfDoubles(fold(agg.aggregator(), values)), bitsOfDoubles(expected), agg.name());
        }
        ShuffleSpec spec = new ShuffleSpec(Kind.AGGREGATE, agg.name(), new HashPartitioner(1), 1, Encoders.strings(),
            agg.aggregateEncoder(), agg.aggregator(), null);
        for (long memory : new long[] {SMALLEST, AMPLE}) {
          SortSettings settings = settings(memory);
          String what = agg.name() + (skewed ? " skewed" : " unique") + " with " + memory;
          assertEquals(bitsOfDoubles(expected), asMap(merge(spec, true, aggregates, settings), what), what);
          assertSpills(settings, memory == SMALLEST, what);
          // values in on the reduce side: an aggregation over data already partitioned its way
          SortSettings inPlace = settings(memory);
          assertEquals(bitsOfDoubles(fold(agg.aggregator(), values)),
              asMap(merge(spec, false, values, inPlace), what + " in place"), what + " in place");
          assertSpills(inPlace, memory == SMALLEST, what + " in place");
        }
      }
    }
  }

  @Test
  void keysOfOneHashAreAggregatedApart() throws IOException {
    List<String> collide = colliding(8); // 256 keys, one hash code: more than the smallest memory holds
    assertEquals(1, collide.stream().map(String::hashCode).distinct().count());
    List<Object> records = new ArrayList<>();
    Map<Object, Long> expected = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      String key = collide.get((i * 37) % collide.size());
      records.add(Pair.of(key, (long) i));
      expected.merge(key, (long) i, Long::sum);
    }
    ShuffleSpec spec = new ShuffleSpec(Kind.AGGREGATE, "reduceByKey", new HashPartitioner(1), 1, Encoders.strings(),
        Encoders.longs(), SUM, null);
    for (long memory : new long[] {SMALLEST, AMPLE}) {
      SortSettings settings = settings(memory);
      assertEquals(new HashMap<Object, Object>(expected), asMap(merge(spec, false, records, settings), "collisions"));
      assertSpills(settings, memory == SMALLEST, "collisions");
    }
    ShuffleSpec group = new ShuffleSpec(Kind.GROUP, "groupByKey", new HashPartitioner(1), 1, Encoders.strings(),
        Encoders.longs(), null, null);
    SortSettings settings = settings(SMALLEST);
    List<Object> groups = merge(group, true, records, settings);
    assertEquals(collide.size(), groups.size());
    for (Object g : groups) {
      Pair<?, ?> p = (Pair<?, ?>) g;
      long sum = ((List<?>) p.value()).stream().mapToLong(v -> (Long) v).sum();
      assertEquals(expected.get(p.key()), sum, "group of " + p.key());
    }
  }

  // ---- spills asked for by another consumer ---------------------------------------------------

  /** Another consumer of the task that grabs memory when told to, and gives it back. */
  static final class Hog extends MemoryConsumer {
    Hog(TaskMemory memory) {
      super(memory);
    }

    long grab(long bytes) {
      return acquire(bytes);
    }

    void giveBack() {
      releaseAll();
    }

    @Override
    public void spill() {
      releaseAll();
    }
  }

  @Test
  void aSpillForcedByAnotherConsumerWhileFillingLosesNothing() throws IOException {
    long pool = 3L << 19;
    TaskMemory task = new ExecutionMemory(pool).forTask("shared", pool);
    tasks.add(task);
    SortSettings settings = settings(task, Compression.LZ4);
    Random random = new Random(10);
    List<Object> sortRecords = new ArrayList<>();
    List<Object> sumRecords = new ArrayList<>();
    int hogGrants = 0;
    Encoder<?> longs = Encoders.pairs(Encoders.longs(), Encoders.longs());
    try (ExternalSorter sorting = new ExternalSorter(settings, longs, 1, null,
        RecordOrder.byKey(KeyOrder.ASCENDING, Encoders.longs()), null, false);
        ExternalSorter summing = new ExternalSorter(settings, Encoders.pairs(Encoders.strings(), Encoders.longs()),
            3, new HashPartitioner(3), null, SUM, false);
        Hog hog = new Hog(task)) {
      for (int burst = 0; burst < 24; burst++) {
        for (int i = 0; i < 700; i++) {
          Object r = burst % 2 == 0 ? Pair.of((long) random.nextInt(5000), (long) sortRecords.size())
              : Pair.of("w" + random.nextInt(4000), (long) random.nextInt(100));
          (burst % 2 == 0 ? sortRecords : sumRecords).add(r);
          (burst % 2 == 0 ? sorting : summing).insert(r);
        }
        if (burst % 3 == 2) {
          // the hog wants nearly everything: the sorters, holding memory, must spill for it
          assertEquals(pool - 4096, hog.grab(pool - 4096));
          hogGrants++;
          assertEquals(0, sorting.used() + summing.used(), "both sorters spilled what they held");
          hog.giveBack();
        }
      }
      int spills = settings.metrics().spills();
      assertTrue(spills >= 12, "the sorters spilled for each other and for the hog: " + spills);
      assertTrue(hogGrants > 0, "the hog got memory the sorters gave up");

      List<Object> expectedSort = new ArrayList<>(sortRecords);
      expectedSort.sort(Comparator.comparingLong(r -> (Long) keyOf(r)));
      List<Object> sorted = new ArrayList<>();
      sorting.partition(0).forEachRemaining(sorted::add);
      assertEquals(expectedSort, sorted, "each record once, in order");

      Map<Object, Object> expectedSums = bitsOfDoubles(fold(SUM, sumRecords));
      Map<Object, Object> sums = new HashMap<>();
      for (int p = 0; p < 3; p++) {
        sums.putAll(asMap(iteratorToList(summing.partition(p)), "partition " + p));
      }
      assertEquals(expectedSums, sums, "each key once, with all its values");
    }
    assertSpillDirEmpty();
    assertEquals(0, task.held());
  }

  private static List<Object> iteratorToList(Iterator<Object> it) {
    List<Object> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void aSpillAskedForWhileTheOutputIsReadIsRefusedAndLosesNothing() throws IOException {
    long pool = 8L << 20;
    for (boolean spilledBefore : new boolean[] {false, true}) {
      TaskMemory task = new ExecutionMemory(pool).forTask("reading", pool);
      tasks.add(task);
      SortSettings settings = settings(task, Compression.ZSTD);
      List<Object> records = new ArrayList<>();
      Random random = new Random(11);
      for (int i = 0; i < 5000; i++) {
        records.add(Pair.of(stringKey(random.nextInt(3000)), (long) i));
      }
      List<Object> expected = new ArrayList<>(records);
      expected.sort((a, b) -> KeyOrder.ASCENDING.compare(keyOf(a), keyOf(b)));
      try (ExternalSorter sorter = new ExternalSorter(settings, Encoders.pairs(Encoders.strings(), Encoders.longs()),
          1, null, RecordOrder.byKey(KeyOrder.ASCENDING, Encoders.strings()), null, false);
          Hog hog = new Hog(task)) {
        for (int i = 0; i < records.size(); i++) {
          sorter.insert(records.get(i));
          if (spilledBefore && i == 2500) {
            sorter.spill(); // one run on disk, the rest in memory: read through the merge
          }
        }
        Iterator<Object> it = sorter.partition(0);
        List<Object> actual = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          actual.add(it.next());
        }
        long held = sorter.used();
        hog.grab(pool); // asks the sorter to spill: what it holds is being read
        assertEquals(held, sorter.used(), "memory being read out is not given up");
        hog.giveBack();
        it.forEachRemaining(actual::add);
        assertEquals(expected, actual, spilledBefore ? "merged" : "in memory");
        assertEquals(spilledBefore ? 2 : 0, settings.metrics().spills());
      }
      assertSpillDirEmpty();
    }
  }

  // ---- resources ------------------------------------------------------------------------------

  @Test
  void onlyOnePartitionsRunReadersAreOpenAtATime() throws IOException {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean unix)) {
      return; // open files are counted on Unix only
    }
    int partitions = 40;
    SortSettings settings = settings(TINY);
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      records.add(Pair.of("r" + i, (long) i));
    }
    try (ExternalSorter sorter = new ExternalSorter(settings, Encoders.pairs(Encoders.strings(), Encoders.longs()),
        partitions, new HashPartitioner(partitions), RecordOrder.NONE, null, false)) {
      for (Object r : records) {
        sorter.insert(r);
      }
      int runs = settings.metrics().spills();
      assertTrue(runs > 10, "runs: " + runs);
      long baseline = unix.getOpenFileDescriptorCount();
      long most = 0;
      long count = 0;
      for (int p = 0; p < partitions; p++) {
        Iterator<Object> it = sorter.partition(p);
        while (it.hasNext()) {
          it.next();
          count++;
        }
        most = Math.max(most, unix.getOpenFileDescriptorCount() - baseline);
      }
      assertEquals(records.size(), count);
      assertTrue(most <= 2L * (runs + 1), "open files grew to " + most + " over " + partitions
          + " partitions of " + runs + " runs: the readers of finished partitions are kept open");
    }
  }

  @Test
  void aRecordLargerThanTheWholeMemoryIsSortedToo() throws IOException {
    SortSettings settings = settings(SMALLEST);
    String huge = "x".repeat(3 << 20);
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      records.add(Pair.of(i % 500 == 0 ? huge + i : "k" + (i * 7 % 1000), (long) i));
    }
    List<Object> expected = new ArrayList<>(records);
    expected.sort((a, b) -> KeyOrder.DESCENDING.compare(keyOf(a), keyOf(b)));
    List<List<Object>> out = sort(settings, Encoders.pairs(Encoders.strings(), Encoders.longs()), 1, null,
        RecordOrder.byKey(KeyOrder.DESCENDING, Encoders.strings()), null, false, records);
    assertEquals(expected, out.get(0));
    assertSpills(settings, true, "huge records");
    assertNotEquals(0, settings.metrics().bytes());
  }
}
