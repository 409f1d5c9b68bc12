package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.KeyOrder;
import io.dflow.api.Pair;
import io.dflow.api.Partitioner;
import io.dflow.api.RangePartitioner;
import io.dflow.api.UserCodeException;
import io.dflow.api.function.ReduceFunction;
import io.dflow.api.plan.Aggregator;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.ShuffleSpec.Kind;
import io.dflow.arrow.Allocators;
import io.dflow.executor.net.HeapBlock;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.planner.ShuffleId;
import io.dflow.planner.StageOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Map outputs written by {@link MapOutputWriter} for each kind of shuffle, read back partition
 * by partition through {@link ShuffleReader} with the local fetcher, and checked against the
 * same computation done plainly in the test.
 */
class ShuffleRoundTripTest {
  private static final ShuffleId SHUFFLE = new ShuffleId(5, 1);
  private static final ExecutorId SELF = new ExecutorId("self");
  private static final int MAPS = 4;
  /** Task ids of the map attempts: not their map indexes, so a mix-up of the two shows. */
  private static final long FIRST_TASK = 700;
  private static final ReduceFunction<Object> SUM = (a, b) -> (Long) a + (Long) b;
  private static final Aggregator SUMS = Aggregator.reducing(SUM);

  @TempDir
  Path tmp;
  private ShuffleStore store;
  private NetworkFetcher fetcher;
  private BufferAllocator allocator;
  private final Random random = new Random(20240229);
  private long bytesWritten;
  private final List<java.io.Closeable> toClose = new ArrayList<>();
  private SortSettings settings;

  @BeforeEach
  void open() throws IOException {
    store = new ShuffleStore(tmp.resolve("shuffle"));
    fetcher = new NetworkFetcher(SELF, store::resolve, null);
    allocator = Allocators.forTask("ShuffleRoundTripTest", 256 << 20);
    settings = ShuffleFixtures.settings(java.nio.file.Files.createDirectories(tmp.resolve("spills")), 64 << 20, toClose);
  }

  @AfterEach
  void noLeak() throws IOException {
    for (java.io.Closeable c : toClose) {
      c.close();
    }
    settings.memory().close();
    fetcher.close();
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory left allocated");
    allocator.close();
  }

  /** Writes one map output per list and says where each is. */
  private List<MapOutputLocation> writeMaps(ShuffleSpec spec, List<List<Object>> maps) throws IOException {
    List<MapOutputLocation> locations = new ArrayList<>();
    for (int m = 0; m < maps.size(); m++) {
      bytesWritten += MapOutputWriter.write(store, m, FIRST_TASK + m, new StageOutput.ShuffleWrite(SHUFFLE, spec),
          maps.get(m).iterator(), allocator, settings).totalBytes();
      locations.add(new MapOutputLocation(m, FIRST_TASK + m, SELF, "127.0.0.1", 1));
    }
    return locations;
  }

  /** Every reduce partition's records, in partition order; checks the fetched byte counts add up. */
  private List<List<Object>> readAll(ShuffleSpec spec, List<MapOutputLocation> maps) throws IOException {
    List<List<Object>> partitions = new ArrayList<>();
    long fetched = 0;
    for (int p = 0; p < spec.numPartitions(); p++) {
      ShuffleFixtures.Read merged = ShuffleFixtures.read(SHUFFLE, spec, p, maps, fetcher, allocator, settings);
      partitions.add(merged.records());
      fetched += merged.bytesFetched();
    }
    assertEquals(bytesWritten, fetched, "each segment is fetched once");
    return partitions;
  }

  private List<List<Object>> randomMaps(java.util.function.Supplier<Pair<?, ?>> record) {
    List<List<Object>> maps = new ArrayList<>();
    for (int m = 0; m < MAPS; m++) {
      List<Object> records = new ArrayList<>();
      int n = 300 + random.nextInt(300);
      for (int i = 0; i < n; i++) {
        records.add(record.get());
      }
      maps.add(records);
    }
    return maps;
  }

  @Test
  void reduceByKeySumsEveryKeyOnceInItsHashPartition() throws IOException {
    HashPartitioner partitioner = new HashPartitioner(3);
    ShuffleSpec spec = new ShuffleSpec(Kind.AGGREGATE, "reduceByKey", partitioner, 3, Encoders.strings(),
        Encoders.longs(), SUMS, null);
    List<List<Object>> maps = randomMaps(() -> Pair.of("w" + random.nextInt(60), (long) random.nextInt(1000) - 500));

    Map<Object, Long> expected = new TreeMap<>();
    for (List<Object> map : maps) {
      for (Object r : map) {
        Pair<?, ?> pair = (Pair<?, ?>) r;
        expected.merge(pair.key(), (Long) pair.value(), Long::sum);
      }
    }

    List<MapOutputLocation> locations = writeMaps(spec, maps);
    Map<Object, Object> actual = new TreeMap<>();
    List<List<Object>> partitions = readAll(spec, locations);
    for (int p = 0; p < partitions.size(); p++) {
      for (Object r : partitions.get(p)) {
        Pair<?, ?> pair = (Pair<?, ?>) r;
        assertEquals(p, partitioner.partition(pair.key()), "partition of " + pair.key());
        assertNull(actual.put(pair.key(), pair.value()), "key " + pair.key() + " appears twice");
      }
    }
    assertEquals(expected, actual);

    // the combiner ran map side: each map's segment holds each of its keys once
    for (int m = 0; m < MAPS; m++) {
      for (int p = 0; p < 3; p++) {
        int partition = p;
        long distinct = maps.get(m).stream().map(r -> ((Pair<?, ?>) r).key())
            .filter(k -> partitioner.partition(k) == partition).distinct().count();
        byte[] segment = store.read(BlockIds.shuffle(SHUFFLE, m, FIRST_TASK + m, p));
        assertEquals(distinct, ShuffleFixtures.decode(segment, spec.recordEncoder(), allocator).size());
      }
    }
  }

  @Test
  void groupByKeyCollectsEveryValueOfAKey() throws IOException {
    HashPartitioner partitioner = new HashPartitioner(4);
    ShuffleSpec spec = new ShuffleSpec(Kind.GROUP, "groupByKey", partitioner, 4, Encoders.ints(),
        Encoders.strings(), null, null);
    List<List<Object>> maps = randomMaps(() -> Pair.of(random.nextInt(80) - 40, "v" + random.nextInt(1_000_000)));

    Map<Object, List<String>> expected = new HashMap<>();
    maps.stream().flatMap(List::stream).map(r -> (Pair<?, ?>) r)
        .forEach(pair -> expected.computeIfAbsent(pair.key(), k -> new ArrayList<>()).add((String) pair.value()));
    expected.values().forEach(values -> values.sort(null));

    Map<Object, List<String>> actual = new HashMap<>();
    List<List<Object>> partitions = readAll(spec, writeMaps(spec, maps));
    for (int p = 0; p < partitions.size(); p++) {
      for (Object r : partitions.get(p)) {
        Pair<?, ?> pair = (Pair<?, ?>) r;
        assertEquals(p, partitioner.partition(pair.key()));
        List<String> values = new ArrayList<>();
        for (Object v : (List<?>) pair.value()) {
          values.add((String) v);
        }
        values.sort(null);
        assertNull(actual.put(pair.key(), values), "key " + pair.key() + " appears twice");
      }
    }
    assertEquals(expected, actual);
  }

  @Test
  void sortByKeyGivesAGlobalAscendingOrderAcrossPartitions() throws IOException {
    checkSort(KeyOrder.ASCENDING, List.of(200L, 450L, 800L));
  }

  @Test
  void sortByKeyGivesAGlobalDescendingOrderAcrossPartitions() throws IOException {
    checkSort(KeyOrder.DESCENDING, List.of(800L, 450L, 200L));
  }

  private void checkSort(KeyOrder order, List<Long> bounds) throws IOException {
    RangePartitioner partitioner = new RangePartitioner(bounds, order);
    ShuffleSpec spec = new ShuffleSpec(Kind.SORT, "sortByKey", partitioner, partitioner.numPartitions(),
        Encoders.longs(), Encoders.strings(), null, order);
    List<List<Object>> maps = randomMaps(() -> Pair.of((long) random.nextInt(1000), "v" + random.nextInt(100)));

    List<Object> all = maps.stream().flatMap(List::stream).toList();
    List<Long> expectedKeys = all.stream().map(r -> (Long) ((Pair<?, ?>) r).key())
        .sorted(order == KeyOrder.ASCENDING ? Comparator.naturalOrder() : Comparator.reverseOrder()).toList();

    List<List<Object>> partitions = readAll(spec, writeMaps(spec, maps));
    List<Object> concatenated = partitions.stream().flatMap(List::stream).toList();
    assertEquals(expectedKeys, concatenated.stream().map(r -> ((Pair<?, ?>) r).key()).toList());
    assertEquals(sortedText(all), sortedText(concatenated), "the same records, values kept with their keys");
    for (List<Object> partition : partitions) {
      assertFalse(partition.isEmpty(), "the bounds split the keys into non-empty ranges");
    }
  }

  private static List<String> sortedText(List<Object> records) {
    return records.stream().map(Object::toString).sorted().toList();
  }

  /** A user's partitioner: by the last character of a string key. */
  record LastCharPartitioner(int numPartitions) implements Partitioner {
    @Override
    public int partition(Object key) {
      String s = (String) key;
      return s.charAt(s.length() - 1) % numPartitions;
    }
  }

  @Test
  void partitionBySendsEachRecordWhereTheUsersPartitionerSaysInOrder() throws IOException {
    Partitioner partitioner = new LastCharPartitioner(5);
    ShuffleSpec spec = ShuffleSpec.partitioning("partitionBy", partitioner, Encoders.strings(), Encoders.doubles());
    List<List<Object>> maps = randomMaps(() -> Pair.of("k" + random.nextInt(10_000), random.nextDouble()));

    List<List<Object>> partitions = readAll(spec, writeMaps(spec, maps));
    for (int p = 0; p < 5; p++) {
      int partition = p;
      // map outputs in map order, each map's records in the order it produced them
      List<Object> expected = maps.stream().flatMap(List::stream)
          .filter(r -> partitioner.partition(((Pair<?, ?>) r).key()) == partition).toList();
      assertEquals(expected, partitions.get(p), "partition " + p);
    }
  }

  @Test
  void recordsThatAreNotPairsAreRefusedAndNothingIsWritten() throws IOException {
    for (Kind kind : Kind.values()) {
      ShuffleSpec spec = new ShuffleSpec(kind, kind.name(), new HashPartitioner(2), 2, Encoders.strings(),
          Encoders.longs(), kind == Kind.AGGREGATE ? SUMS : null, KeyOrder.ASCENDING);
      Iterator<Object> records = List.<Object>of(Pair.of("a", 1L), "not a pair").iterator();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MapOutputWriter.write(store, 0, 1, new StageOutput.ShuffleWrite(SHUFFLE, spec), records, allocator, settings));
      assertEquals("a wide step needs key/value records (io.dflow.api.Pair), got java.lang.String", e.getMessage());
    }
    try (Stream<Path> files = Files.list(tmp.resolve("shuffle"))) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void aPartitionerAnsweringOutOfRangeIsNamed() {
    Partitioner broken = new LastCharPartitioner(50); // claims 50 partitions; the shuffle has 3
    for (Kind kind : List.of(Kind.PARTITION, Kind.AGGREGATE)) {
      ShuffleSpec spec = new ShuffleSpec(kind, kind.name(), broken, 3, Encoders.strings(), Encoders.longs(),
          kind == Kind.AGGREGATE ? SUMS : null, null);
      Iterator<Object> records = List.<Object>of(Pair.of("z", 1L)).iterator();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MapOutputWriter.write(store, 0, 1, new StageOutput.ShuffleWrite(SHUFFLE, spec), records, allocator, settings));
      assertTrue(e.getMessage().contains(LastCharPartitioner.class.getName()), e.getMessage());
      assertTrue(e.getMessage().contains("sent key z to partition 22, but the shuffle has partitions 0 to 2"),
          e.getMessage());
    }
  }

  @Test
  void aSortWhoseRangeBoundsWereNeverSampledIsRefused() {
    ShuffleSpec unsampled = new ShuffleSpec(Kind.SORT, "sortByKey", null, 3, Encoders.longs(), Encoders.strings(),
        null, KeyOrder.ASCENDING);
    Iterator<Object> records = List.<Object>of(Pair.of(1L, "a")).iterator();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MapOutputWriter.write(store, 0, 1, new StageOutput.ShuffleWrite(SHUFFLE, unsampled), records, allocator, settings));
    assertEquals("shuffle 5.1 has no partitioner yet", e.getMessage());
  }

  @Test
  void aCombinerReturningNullFailsInsteadOfDroppingTheKey() {
    ReduceFunction<Object> toNull = (a, b) -> null;
    ShuffleSpec spec = new ShuffleSpec(Kind.AGGREGATE, "reduceByKey", new HashPartitioner(2), 2, Encoders.strings(),
        Encoders.longs(), Aggregator.reducing(toNull), null);
    Iterator<Object> records = List.<Object>of(Pair.of("k", 1L), Pair.of("k", 2L), Pair.of("k", 3L)).iterator();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MapOutputWriter.write(store, 0, 1, new StageOutput.ShuffleWrite(SHUFFLE, spec), records, allocator, settings));
    assertTrue(e.getMessage().contains("returned null"), e.getMessage());
  }

  @Test
  void aCombinerThrowingACheckedExceptionIsWrappedAsUserCode() {
    ReduceFunction<Object> broken = (a, b) -> {
      throw new IOException("combiner broke");
    };
    ShuffleSpec spec = new ShuffleSpec(Kind.AGGREGATE, "reduceByKey", new HashPartitioner(2), 2, Encoders.strings(),
        Encoders.longs(), Aggregator.reducing(broken), null);
    Iterator<Object> records = List.<Object>of(Pair.of("k", 1L), Pair.of("k", 2L)).iterator();
    UserCodeException e = assertThrows(UserCodeException.class,
        () -> MapOutputWriter.write(store, 0, 1, new StageOutput.ShuffleWrite(SHUFFLE, spec), records, allocator, settings));
    assertInstanceOf(IOException.class, e.getCause());
    assertEquals("combiner broke", e.getCause().getMessage());
  }

  /** Reads reduce partition 1 of {@code maps}, which must fail with a fetch failure. */
  private FetchFailedException fetchFailure(ShuffleSpec spec, List<MapOutputLocation> maps) {
    return assertThrows(FetchFailedException.class, () -> ShuffleFixtures.read(SHUFFLE, spec, 1, maps, fetcher,
        allocator, settings));
  }

  @Test
  void aMissingMapOutputIsAFetchFailureNamingShuffleMapAndExecutor() throws IOException {
    ShuffleSpec spec = new ShuffleSpec(Kind.GROUP, "groupByKey", new HashPartitioner(2), 2, Encoders.strings(),
        Encoders.longs(), null, null);
    List<MapOutputLocation> maps = new ArrayList<>(writeMaps(spec, List.of(List.of(Pair.of("a", 1L)))));
    maps.add(new MapOutputLocation(9, 909, SELF, "127.0.0.1", 1));
    FetchFailedException e = fetchFailure(spec, maps);
    assertEquals(SHUFFLE, e.shuffle());
    assertEquals(9, e.mapIndex());
    assertEquals(SELF, e.executor());
    assertEquals("cannot fetch shuffle 5.1 partition 1 of map task 9 from executor self (127.0.0.1:1): "
        + "no map output shuffle_5_1_9_909 on this executor", e.getMessage());

    // the map output exists, but not from the attempt the location names: that attempt's output is lost
    FetchFailedException wrongAttempt = fetchFailure(spec, List.of(new MapOutputLocation(0, FIRST_TASK + 1, SELF,
        "127.0.0.1", 1)));
    assertEquals(0, wrongAttempt.mapIndex());
    assertTrue(wrongAttempt.getMessage().endsWith("no map output shuffle_5_1_0_701 on this executor"),
        wrongAttempt.getMessage());

    ExecutorId elsewhere = new ExecutorId("elsewhere");
    FetchFailedException remote = fetchFailure(spec, List.of(new MapOutputLocation(0, 3, elsewhere, "10.0.0.9", 7077)));
    assertEquals(elsewhere, remote.executor());
    assertEquals(0, remote.mapIndex());
    assertTrue(remote.getMessage().contains("block of executor elsewhere requested, but this executor has no peers"),
        remote.getMessage());

    FetchFailedException none = fetchFailure(spec, null);
    assertEquals(SHUFFLE, none.shuffle());
    assertEquals(-1, none.mapIndex());
    assertNull(none.executor());
  }

  @Test
  void aDamagedSegmentIsAFetchFailureOfTheMapThatWroteIt() throws IOException {
    ShuffleSpec spec = new ShuffleSpec(Kind.GROUP, "groupByKey", new HashPartitioner(1), 1, Encoders.strings(),
        Encoders.longs(), null, null);
    List<Object> records = new ArrayList<>();
    for (long i = 0; i < 1_000; i++) {
      records.add(Pair.of("k" + i, i));
    }
    List<MapOutputLocation> maps = writeMaps(spec, List.of(records, records));
    BlockFetcher damaging = (executor, address, port, blockId) -> fetcher.fetch(executor, address, port, blockId)
        .thenApply(bytes -> blockId.equals(BlockIds.shuffle(SHUFFLE, 1, FIRST_TASK + 1, 0))
            ? new HeapBlock(ShuffleFixtures.bytes(bytes), (int) bytes.length() / 2) : bytes);
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> ShuffleFixtures.read(SHUFFLE, spec, 0,
        maps, damaging, allocator, settings));
    assertEquals(1, e.mapIndex());
    assertEquals(SELF, e.executor());
    assertTrue(e.getMessage().startsWith("cannot fetch shuffle 5.1 partition 0 of map task 1 from executor self "
        + "(127.0.0.1:1): its segment is damaged: "), e.getMessage());
  }

  /** A damaged compressed batch found only when the reader gets to it, after records of earlier batches went out. */
  @Test
  void aBatchFoundDamagedMidSegmentIsAFetchFailureToo() throws IOException {
    ShuffleSpec spec = new ShuffleSpec(Kind.PARTITION, "repartition", new HashPartitioner(1), 1, Encoders.strings(),
        Encoders.longs(), null, null);
    List<Object> records = new ArrayList<>();
    for (long i = 0; i < 40_000; i++) {
      records.add(Pair.of("key-" + random.nextInt(1 << 20), i));
    }
    List<MapOutputLocation> maps = writeMaps(spec, List.of(records));
    BlockFetcher damaging = (executor, address, port, blockId) -> fetcher.fetch(executor, address, port, blockId)
        .thenApply(bytes -> {
          byte[] damaged = ShuffleFixtures.bytes(bytes);
          damaged[damaged.length * 9 / 10] ^= 0x5a; // inside the last batch's compressed body
          return new HeapBlock(damaged, damaged.length);
        });
    int[] seen = {0};
    try (ShuffleReader reader = new ShuffleReader(SHUFFLE, 0, maps, damaging,
        ShuffleFixtures.opener(spec.recordEncoder(), allocator), 48 << 20, n -> { })) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> {
        while (reader.hasNext()) {
          reader.next();
          seen[0]++;
        }
      });
      FetchFailedException failure = assertInstanceOf(FetchFailedException.class, e.getCause());
      assertEquals(0, failure.mapIndex());
      assertTrue(failure.getMessage().contains("its segment is damaged"), failure.getMessage());
    }
    assertTrue(seen[0] >= 8192 && seen[0] < records.size(), "earlier batches were read before the damage: " + seen[0]);
  }

  @Test
  void emptyMapOutputsGiveEmptyPartitions() throws IOException {
    ShuffleSpec spec = new ShuffleSpec(Kind.AGGREGATE, "reduceByKey", new HashPartitioner(3), 3, Encoders.strings(),
        Encoders.longs(), SUMS, null);
    Set<Object> seen = new HashSet<>();
    readAll(spec, writeMaps(spec, List.of(List.of(), List.of()))).forEach(seen::addAll);
    assertTrue(seen.isEmpty());
  }
}
