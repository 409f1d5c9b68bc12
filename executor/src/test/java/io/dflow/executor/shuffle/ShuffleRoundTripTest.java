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
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.ShuffleSpec.Kind;
import io.dflow.arrow.Allocators;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.planner.StageOutput;
import io.dflow.planner.TaskInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
  private static final int JOB = 3;
  private static final int SHUFFLE = 5;
  private static final int MAPS = 4;
  private static final ReduceFunction<Object> SUM = (a, b) -> (Long) a + (Long) b;

  @TempDir
  Path tmp;
  private ShuffleStore store;
  private NetworkFetcher fetcher;
  private BufferAllocator allocator;
  private final Random random = new Random(20240229);
  private long bytesWritten;

  @BeforeEach
  void open() throws IOException {
    store = new ShuffleStore(tmp.resolve("shuffle"));
    fetcher = new NetworkFetcher("self", store, null);
    allocator = Allocators.forTask("ShuffleRoundTripTest", 256 << 20);
  }

  @AfterEach
  void noLeak() {
    fetcher.close();
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory left allocated");
    allocator.close();
  }

  /** Writes one map output per list and says where each is. */
  private List<MapOutputLocation> writeMaps(ShuffleSpec spec, List<List<Object>> maps) throws IOException {
    List<MapOutputLocation> locations = new ArrayList<>();
    for (int m = 0; m < maps.size(); m++) {
      bytesWritten += MapOutputWriter.write(store, JOB, m, new StageOutput.ShuffleWrite(SHUFFLE, spec),
          maps.get(m).iterator(), allocator).totalBytes();
      locations.add(new MapOutputLocation(m, "self", "127.0.0.1", 1));
    }
    return locations;
  }

  /** Every reduce partition's records, in partition order; checks the fetched byte counts add up. */
  private List<List<Object>> readAll(ShuffleSpec spec, List<MapOutputLocation> maps) throws IOException {
    List<List<Object>> partitions = new ArrayList<>();
    long fetched = 0;
    for (int p = 0; p < spec.numPartitions(); p++) {
      ShuffleReader.Merged merged = ShuffleReader.read(JOB, new TaskInput.ReadShuffle(SHUFFLE, p, spec),
          maps, fetcher, ShuffleFixtures.decoder(spec.recordEncoder(), allocator));
      List<Object> records = new ArrayList<>();
      merged.records().forEachRemaining(records::add);
      partitions.add(records);
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
    ShuffleSpec spec = new ShuffleSpec(Kind.REDUCE_BY_KEY, partitioner, 3, Encoders.strings(),
        Encoders.longs(), SUM, null);
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
        byte[] segment = store.read(BlockIds.shuffle(JOB, SHUFFLE, m, p));
        assertEquals(distinct, ShuffleFixtures.decode(segment, spec.recordEncoder(), allocator).size());
      }
    }
  }

  @Test
  void groupByKeyCollectsEveryValueOfAKey() throws IOException {
    HashPartitioner partitioner = new HashPartitioner(4);
    ShuffleSpec spec = new ShuffleSpec(Kind.GROUP_BY_KEY, partitioner, 4, Encoders.ints(),
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
    ShuffleSpec spec = new ShuffleSpec(Kind.SORT_BY_KEY, partitioner, partitioner.numPartitions(),
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
    ShuffleSpec spec = new ShuffleSpec(Kind.PARTITION_BY, partitioner, 5, Encoders.strings(),
        Encoders.doubles(), null, null);
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
      ShuffleSpec spec = new ShuffleSpec(kind, new HashPartitioner(2), 2, Encoders.strings(),
          Encoders.longs(), SUM, KeyOrder.ASCENDING);
      Iterator<Object> records = List.<Object>of(Pair.of("a", 1L), "not a pair").iterator();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MapOutputWriter.write(store, JOB, 0, new StageOutput.ShuffleWrite(SHUFFLE, spec), records, allocator));
      assertEquals("a shuffle needs key/value records (io.dflow.api.Pair), got java.lang.String", e.getMessage());
    }
    try (Stream<Path> files = Files.list(tmp.resolve("shuffle"))) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void aPartitionerAnsweringOutOfRangeIsNamed() {
    Partitioner broken = new LastCharPartitioner(50); // claims 50 partitions; the shuffle has 3
    for (Kind kind : List.of(Kind.PARTITION_BY, Kind.REDUCE_BY_KEY)) {
      ShuffleSpec spec = new ShuffleSpec(kind, broken, 3, Encoders.strings(), Encoders.longs(), SUM, null);
      Iterator<Object> records = List.<Object>of(Pair.of("z", 1L)).iterator();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> MapOutputWriter.write(store, JOB, 0, new StageOutput.ShuffleWrite(SHUFFLE, spec), records, allocator));
      assertTrue(e.getMessage().contains(LastCharPartitioner.class.getName()), e.getMessage());
      assertTrue(e.getMessage().contains("sent key z to partition 22, but the shuffle has partitions 0 to 2"),
          e.getMessage());
    }
  }

  @Test
  void aCombinerReturningNullFailsInsteadOfDroppingTheKey() {
    ReduceFunction<Object> toNull = (a, b) -> null;
    ShuffleSpec spec = new ShuffleSpec(Kind.REDUCE_BY_KEY, new HashPartitioner(2), 2, Encoders.strings(),
        Encoders.longs(), toNull, null);
    Iterator<Object> records = List.<Object>of(Pair.of("k", 1L), Pair.of("k", 2L), Pair.of("k", 3L)).iterator();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MapOutputWriter.write(store, JOB, 0, new StageOutput.ShuffleWrite(SHUFFLE, spec), records, allocator));
    assertTrue(e.getMessage().contains("returned null"), e.getMessage());
  }

  @Test
  void aCombinerThrowingACheckedExceptionIsWrappedAsUserCode() {
    ReduceFunction<Object> broken = (a, b) -> {
      throw new IOException("combiner broke");
    };
    ShuffleSpec spec = new ShuffleSpec(Kind.REDUCE_BY_KEY, new HashPartitioner(2), 2, Encoders.strings(),
        Encoders.longs(), broken, null);
    Iterator<Object> records = List.<Object>of(Pair.of("k", 1L), Pair.of("k", 2L)).iterator();
    UserCodeException e = assertThrows(UserCodeException.class,
        () -> MapOutputWriter.write(store, JOB, 0, new StageOutput.ShuffleWrite(SHUFFLE, spec), records, allocator));
    assertInstanceOf(IOException.class, e.getCause());
    assertEquals("combiner broke", e.getCause().getMessage());
  }

  @Test
  void aMissingMapOutputFailsTheReadNamingMapAndExecutor() throws IOException {
    ShuffleSpec spec = new ShuffleSpec(Kind.GROUP_BY_KEY, new HashPartitioner(2), 2, Encoders.strings(),
        Encoders.longs(), null, null);
    List<MapOutputLocation> maps = new ArrayList<>(writeMaps(spec, List.of(List.of(Pair.of("a", 1L)))));
    maps.add(new MapOutputLocation(9, "self", "127.0.0.1", 1));
    IOException e = assertThrows(IOException.class, () -> ShuffleReader.read(JOB,
        new TaskInput.ReadShuffle(SHUFFLE, 1, spec), maps, fetcher, ShuffleFixtures.decoder(spec.recordEncoder(), allocator)));
    assertEquals("cannot fetch shuffle 5 partition 1 of map task 9 from executor self (127.0.0.1:1): "
        + "no map output shuffle_3_5_9 on this executor", e.getMessage());

    List<MapOutputLocation> remote = List.of(new MapOutputLocation(0, "elsewhere", "10.0.0.9", 7077));
    e = assertThrows(IOException.class, () -> ShuffleReader.read(JOB, new TaskInput.ReadShuffle(SHUFFLE, 1, spec),
        remote, fetcher, ShuffleFixtures.decoder(spec.recordEncoder(), allocator)));
    assertTrue(e.getMessage().contains("block of executor elsewhere requested, but this executor has no peers"),
        e.getMessage());
  }

  @Test
  void emptyMapOutputsGiveEmptyPartitions() throws IOException {
    ShuffleSpec spec = new ShuffleSpec(Kind.REDUCE_BY_KEY, new HashPartitioner(3), 3, Encoders.strings(),
        Encoders.longs(), SUM, null);
    Set<Object> seen = new HashSet<>();
    readAll(spec, writeMaps(spec, List.of(List.of(), List.of()))).forEach(seen::addAll);
    assertTrue(seen.isEmpty());
  }
}
