package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.KeyOrder;
import io.dflow.api.Pair;
import io.dflow.api.Partitioner;
import io.dflow.api.RangePartitioner;
import io.dflow.api.plan.Aggregator;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.ShuffleSpec.Kind;
import io.dflow.arrow.Allocators;
import io.dflow.arrow.Compression;
import io.dflow.arrow.ShuffleWriteResult;
import io.dflow.executor.memory.ExecutionMemory;
import io.dflow.executor.memory.TaskMemory;
import io.dflow.executor.net.BlockData;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.planner.ShuffleId;
import io.dflow.planner.StageOutput;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A map stage's {@link MapOutputWriter} and the reduce side's {@link ShuffleReader} and
 * {@link Merger}, as {@link ShuffleRoundTripTest} drives them, for every kind of shuffle: with 64
 * KiB of execution memory (both sides spill) the results equal those with 64 MiB (no spill) and a
 * plain-Java reference; the reader never has more segment bytes in flight than its bound (but
 * always one); spill files are gone and no Arrow memory is left allocated.
 */
class SpillingShuffleRoundTripTest {
  private static final ShuffleId SHUFFLE = new ShuffleId(9, 1);
  private static final ExecutorId SELF = new ExecutorId("self");
  private static final int MAPS = 4;
  private static final long FIRST_TASK = 300;
  private static final long TINY = 64 << 10;
  private static final long AMPLE = 64 << 20;
  private static final Aggregator SUM = Aggregator.reducing((a, b) -> (Long) a + (Long) b);
  private static final Aggregator STATS = new Aggregator(v -> ExternalSorterTest.Stats.of((String) v),
      (a, v) -> ((ExternalSorterTest.Stats) a).plus(ExternalSorterTest.Stats.of((String) v)),
      (a, b) -> ((ExternalSorterTest.Stats) a).plus((ExternalSorterTest.Stats) b));

  @TempDir
  Path tmp;
  private final AtomicInteger worlds = new AtomicInteger();

  /** What one run of a shuffle gave: every reduce partition's records, and what spilled where. */
  record Outcome(List<List<Object>> partitions, int mapSpills, int reduceSpills, long mostInFlight) {}

  /** Writes {@code maps} through {@link MapOutputWriter} and reads every partition back, with {@code memory} bytes per task. */
  private Outcome shuffle(ShuffleSpec spec, List<List<Object>> maps, long memory, long maxBytesInFlight)
      throws Exception {
    Path root = Files.createDirectories(tmp.resolve("world-" + worlds.incrementAndGet()));
    Path spills = Files.createDirectories(root.resolve("spills"));
    ShuffleStore store = new ShuffleStore(root.resolve("shuffle"));
    BufferAllocator allocator = Allocators.forTask("spilling-round-trip", 256 << 20);
    List<Closeable> closeAtEnd = new ArrayList<>();
    AtomicInteger files = new AtomicInteger();
    TaskMemory mapMemory = new ExecutionMemory(memory).forTask("map", memory);
    TaskMemory reduceMemory = new ExecutionMemory(memory).forTask("reduce", memory);
    SortSettings mapSide = new SortSettings(mapMemory, () -> spills.resolve("m" + files.incrementAndGet()),
        Compression.LZ4, ShuffleFixtures.POLICY, new SpillMetrics(), closeAtEnd::add);
    SortSettings reduceSide = new SortSettings(reduceMemory, () -> spills.resolve("r" + files.incrementAndGet()),
        Compression.ZSTD, ShuffleFixtures.POLICY, new SpillMetrics(), closeAtEnd::add);
    try (NetworkFetcher local = new NetworkFetcher(SELF, store::resolve, null)) {
      List<MapOutputLocation> locations = new ArrayList<>();
      long written = 0;
      for (int m = 0; m < maps.size(); m++) {
        ShuffleWriteResult result = MapOutputWriter.write(store, m, FIRST_TASK + m,
            new StageOutput.ShuffleWrite(SHUFFLE, spec), maps.get(m).iterator(), allocator, mapSide);
        written += result.totalBytes();
        locations.add(new MapOutputLocation(m, FIRST_TASK + m, SELF, "127.0.0.1", 1, result.lengths()));
        assertEquals(0, mapMemory.held(), "a map task's sorter gives its memory back");
      }
      assertNoFiles(spills, "after the map tasks");

      InFlight fetcher = new InFlight(local, locations, maxBytesInFlight);
      List<List<Object>> partitions = new ArrayList<>();
      long fetched = 0;
      for (int p = 0; p < spec.numPartitions(); p++) {
        long[] bytes = {0};
        List<Object> out = new ArrayList<>();
        try (ShuffleReader reader = new ShuffleReader(SHUFFLE, p, locations, fetcher,
            ShuffleFixtures.opener(spec.recordEncoder(), allocator), maxBytesInFlight, n -> bytes[0] += n)) {
          Merger.merge(spec, true, reader, reduceSide).forEachRemaining(r -> out.add(ShuffleFixtures.held(r)));
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
        for (Closeable c : closeAtEnd) {
          c.close();
        }
        closeAtEnd.clear();
        assertEquals(0, reduceMemory.held(), "a reduce task's sorter gives its memory back when the task ends");
        assertNoFiles(spills, "after reduce partition " + p);
        partitions.add(out);
        fetched += bytes[0];
      }
      assertEquals(written, fetched, "every segment fetched once");
      assertNull(fetcher.violation, fetcher.violation);
      return new Outcome(partitions, mapSide.metrics().spills(), reduceSide.metrics().spills(), fetcher.most);
    } finally {
      mapMemory.close();
      reduceMemory.close();
      assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory left allocated");
      allocator.close();
    }
  }

  private static void assertNoFiles(Path dir, String when) throws IOException {
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList(), "spill files left " + when);
    }
  }

  /**
   * A fetcher that keeps the account a reader should: bytes asked for and not yet taken (a
   * segment is taken when the reader waits on its future). A fetch that would pass the bound
   * while another is outstanding is a violation.
   */
  static final class InFlight implements BlockFetcher {
    private final BlockFetcher inner;
    private final Map<String, Long> sizes = new HashMap<>();
    private final long max;
    long outstanding;
    long most;
    String violation;

    InFlight(BlockFetcher inner, List<MapOutputLocation> maps, long max) {
      this.inner = inner;
      this.max = max;
      for (MapOutputLocation m : maps) {
        for (int p = 0; p < m.partitionBytes().length; p++) {
          sizes.put(BlockIds.shuffle(SHUFFLE, m.mapIndex(), m.taskId(), p), m.partitionBytes()[p]);
        }
      }
    }

    @Override
    public CompletableFuture<BlockData> fetch(ExecutorId executor, String address, int port, String blockId) {
      long size = sizes.get(blockId);
      if (outstanding > 0 && outstanding + size > max && violation == null) {
        violation = "fetching " + blockId + " (" + size + " bytes) with " + outstanding + " in flight, bound " + max;
      }
      outstanding += size;
      most = Math.max(most, outstanding);
      CompletableFuture<BlockData> future = new CompletableFuture<>() {
        private boolean taken;

        @Override
        public BlockData get() throws InterruptedException, ExecutionException {
          if (!taken) {
            taken = true;
            outstanding -= size;
          }
          return super.get();
        }
      };
      inner.fetch(executor, address, port, blockId).whenComplete((bytes, e) -> {
        if (e != null) {
          future.completeExceptionally(e);
        } else {
          future.complete(bytes);
        }
      });
      return future;
    }
  }

  /** Runs {@code spec} with ample and with tiny memory; both must equal {@code expected} as {@code view} sees it. */
  private void check(ShuffleSpec spec, List<List<Object>> maps, List<List<Object>> expected,
      java.util.function.Function<List<Object>, Object> view) throws Exception {
    Outcome ample = shuffle(spec, maps, AMPLE, 48 << 20);
    Outcome tiny = shuffle(spec, maps, TINY, 16 << 10);
    assertEquals(0, ample.mapSpills() + ample.reduceSpills(), spec.name() + ": no spill with 64 MiB");
    assertTrue(tiny.mapSpills() > MAPS, spec.name() + ": map tasks spill with 64 KiB: " + tiny.mapSpills());
    if (spec.kind() != Kind.PARTITION) {
      assertTrue(tiny.reduceSpills() > spec.numPartitions(), spec.name() + ": reducers spill: " + tiny.reduceSpills());
    }
    assertTrue(tiny.mostInFlight() < ample.mostInFlight(), spec.name() + ": a smaller bound, fewer bytes in flight");
    for (int p = 0; p < spec.numPartitions(); p++) {
      Object want = view.apply(expected.get(p));
      assertEquals(want, view.apply(ample.partitions().get(p)), spec.name() + " partition " + p + " with 64 MiB");
      assertEquals(want, view.apply(tiny.partitions().get(p)), spec.name() + " partition " + p + " with 64 KiB");
    }
  }

  private static List<List<Object>> maps(Random random, int perMap, java.util.function.IntFunction<Object> record) {
    List<List<Object>> maps = new ArrayList<>();
    int i = 0;
    for (int m = 0; m < MAPS; m++) {
      List<Object> records = new ArrayList<>();
      for (int n = perMap / 2 + random.nextInt(perMap); n > 0; n--) {
        records.add(record.apply(i++));
      }
      maps.add(records);
    }
    maps.add(List.of()); // a map task that produced nothing
    return maps;
  }

  private static List<List<Object>> byPartition(List<List<Object>> maps, Partitioner partitioner) {
    List<List<Object>> out = new ArrayList<>();
    for (int p = 0; p < partitioner.numPartitions(); p++) {
      out.add(new ArrayList<>());
    }
    for (List<Object> map : maps) {
      for (Object r : map) {
        out.get(partitioner.partition(((Pair<?, ?>) r).key())).add(r);
      }
    }
    return out;
  }

  /** Records as a map from key to value, failing on a key given twice. */
  private static Object asMap(List<Object> records) {
    Map<Object, Object> out = new HashMap<>();
    for (Object r : records) {
      Pair<?, ?> p = (Pair<?, ?>) r;
      assertFalse(out.containsKey(p.key()), "key " + p.key() + " twice");
      out.put(p.key(), p.value());
    }
    return out;
  }

  @Test
  void reduceByKeyIsTheSameWithSixtyFourKiB() throws Exception {
    Random random = new Random(1);
    List<String> collide = ExternalSorterTest.colliding(5);
    HashPartitioner partitioner = new HashPartitioner(5);
    ShuffleSpec spec = new ShuffleSpec(Kind.AGGREGATE, "reduceByKey", partitioner, 5, Encoders.strings(),
        Encoders.longs(), SUM, null);
    List<List<Object>> maps = maps(random, 8000, i -> {
      int k = (int) (6000 * Math.pow(random.nextDouble(), 3));
      return Pair.of(k % 7 == 0 ? collide.get(k % collide.size()) : ExternalSorterTest.stringKey(k),
          (long) random.nextInt(1000) - 400);
    });
    List<List<Object>> expected = new ArrayList<>();
    for (List<Object> partition : byPartition(maps, partitioner)) {
      Map<Object, Long> sums = new HashMap<>();
      partition.forEach(r -> sums.merge(((Pair<?, ?>) r).key(), (Long) ((Pair<?, ?>) r).value(), Long::sum));
      List<Object> records = new ArrayList<>();
      sums.forEach((k, v) -> records.add(Pair.of(k, v)));
      expected.add(records);
    }
    check(spec, maps, expected, SpillingShuffleRoundTripTest::asMap);
  }

  @Test
  void anAggregateOfAnotherTypeIsTheSameWithSixtyFourKiB() throws Exception {
    Random random = new Random(2);
    HashPartitioner partitioner = new HashPartitioner(3);
    Encoder<?> stats = Encoders.java(ExternalSorterTest.Stats.class);
    ShuffleSpec spec = new ShuffleSpec(Kind.AGGREGATE, "aggregateByKey", partitioner, 3, Encoders.ints(), stats,
        STATS, null);
    List<List<Object>> maps = maps(random, 6000, i -> Pair.of(random.nextInt(4000) - 2000,
        ExternalSorterTest.stringKey(random.nextInt(10_000))));
    List<List<Object>> expected = new ArrayList<>();
    for (List<Object> partition : byPartition(maps, partitioner)) {
      Map<Object, ExternalSorterTest.Stats> agg = new HashMap<>();
      for (Object r : partition) {
        Pair<?, ?> p = (Pair<?, ?>) r;
        agg.merge(p.key(), ExternalSorterTest.Stats.of((String) p.value()), ExternalSorterTest.Stats::plus);
      }
      List<Object> records = new ArrayList<>();
      agg.forEach((k, v) -> records.add(Pair.of(k, v)));
      expected.add(records);
    }
    check(spec, maps, expected, SpillingShuffleRoundTripTest::asMap);
  }

  @Test
  void groupByKeyIsTheSameWithSixtyFourKiB() throws Exception {
    Random random = new Random(3);
    HashPartitioner partitioner = new HashPartitioner(4);
    ShuffleSpec spec = new ShuffleSpec(Kind.GROUP, "groupByKey", partitioner, 4, Encoders.strings(),
        Encoders.longs(), null, null);
    List<String> collide = ExternalSorterTest.colliding(6);
    List<List<Object>> maps = maps(random, 7000, i -> Pair.of(
        random.nextInt(5) == 0 ? collide.get(random.nextInt(collide.size())) : "g" + random.nextInt(3000), (long) i));
    List<List<Object>> expected = new ArrayList<>();
    for (List<Object> partition : byPartition(maps, partitioner)) {
      Map<Object, List<Object>> groups = new HashMap<>();
      partition.forEach(r -> groups.computeIfAbsent(((Pair<?, ?>) r).key(), k -> new ArrayList<>())
          .add(((Pair<?, ?>) r).value()));
      List<Object> records = new ArrayList<>();
      groups.forEach((k, v) -> records.add(Pair.of(k, v)));
      expected.add(records);
    }
    // values in the order the reducer reads them: map by map, each map's in its order
    check(spec, maps, expected, records -> {
      Object map = asMap(records);
      Map<Object, Object> lists = new HashMap<>();
      ((Map<?, ?>) map).forEach((k, v) -> lists.put(k, new ArrayList<>((List<?>) v)));
      return lists;
    });
  }

  @Test
  void sortByKeyGivesTheSameTotalOrderWithSixtyFourKiB() throws Exception {
    for (KeyOrder order : KeyOrder.values()) {
      Random random = new Random(4);
      List<String> bounds = new ArrayList<>(List.of("abcd", "abcd😀", "b", "€"));
      if (order == KeyOrder.DESCENDING) {
        java.util.Collections.reverse(bounds);
      }
      RangePartitioner partitioner = new RangePartitioner(bounds, order);
      ShuffleSpec spec = new ShuffleSpec(Kind.SORT, "sortByKey " + order, partitioner, partitioner.numPartitions(),
          Encoders.strings(), Encoders.longs(), null, order);
      List<List<Object>> maps = maps(random, 6000, i -> Pair.of(ExternalSorterTest.stringKey(random.nextInt(20_000)),
          (long) i));
      List<List<Object>> expected = new ArrayList<>();
      for (List<Object> partition : byPartition(maps, partitioner)) {
        List<Object> sorted = new ArrayList<>(partition);
        sorted.sort((a, b) -> order.compare(((Pair<?, ?>) a).key(), ((Pair<?, ?>) b).key())); // stable
        assertFalse(sorted.isEmpty());
        expected.add(sorted);
      }
      check(spec, maps, expected, records -> records);
    }
  }

  @Test
  void partitionByIsTheSameWithSixtyFourKiB() throws Exception {
    Random random = new Random(5);
    HashPartitioner partitioner = new HashPartitioner(6);
    ShuffleSpec spec = ShuffleSpec.partitioning("partitionBy", partitioner, Encoders.longs(), Encoders.strings());
    List<List<Object>> maps = maps(random, 8000, i -> Pair.of(random.nextLong(), "v" + i));
    check(spec, maps, byPartition(maps, partitioner), records -> records);
  }
}
