package io.dflow.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dflow.api.Dataset;
import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.InputFile;
import io.dflow.api.plan.InputFile.BlockInfo;
import io.dflow.api.plan.PlanningRunner;
import io.dflow.api.plan.LogicalNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Plans of typical jobs, compared with checked-in text under {@code src/test/resources/golden}. */
class GoldenPlanTest {
  private static final long MIB = 1 << 20;

  /** A fake cluster's files: a 300 MiB file in 128 MiB blocks and a folder of small files. */
  private static List<InputFile> list(String path) throws IOException {
    return switch (path) {
      case "/data/big.txt" -> List.of(new InputFile("/data/big.txt", 300 * MIB, List.of(
          new BlockInfo(0, 128 * MIB, List.of("host-a", "host-b")),
          new BlockInfo(128 * MIB, 128 * MIB, List.of("host-b", "host-c")),
          new BlockInfo(256 * MIB, 44 * MIB, List.of("host-c", "host-a")))));
      case "/data/small" -> List.of(
          new InputFile("/data/small/a.txt", 10 * MIB, List.of(new BlockInfo(0, 10 * MIB, List.of("host-a")))),
          new InputFile("/data/small/b.txt", 20 * MIB, List.of(new BlockInfo(0, 20 * MIB, List.of("host-b")))),
          new InputFile("/data/small/c.txt", 30 * MIB, List.of(new BlockInfo(0, 30 * MIB, List.of("host-a")))));
      default -> throw new FileNotFoundException("Input path does not exist: " + path);
    };
  }

  /**
   * Records the plan of each action instead of running it, and remembers, as a driver would,
   * which datasets are persisted and which shuffles earlier actions wrote.
   */
  private static final class PlanCapture extends PlanningRunner {
    Planner planner = new Planner(new PlannerConf(4, 128 * MIB, 2), GoldenPlanTest::list);

    void joinBy(JoinStrategy strategy) {
      planner = new Planner(new PlannerConf(4, 128 * MIB, 2).withJoinStrategy(strategy), GoldenPlanTest::list);
    }
    final List<String> plans = new ArrayList<>();
    final Set<ShuffleId> written = new HashSet<>();

    @Override
    public Object run(LogicalNode node, Action action) {
      PhysicalPlan plan = planner.plan(node, action, new PlanInputs(persisted(), written, Map.of()));
      plans.add(plan.explain(written));
      plan.stages().forEach(stage -> written.addAll(stage.shufflesWritten()));
      return action instanceof Action.Count ? (Object) 0L : List.of();
    }

    @Override
    public String explain(LogicalNode node, Action action) {
      return planner.plan(node, action, new PlanInputs(persisted(), written, Map.of())).explain(written);
    }
  }

  private final PlanCapture capture = new PlanCapture();
  private final JobContext ctx = new JobContext(capture, Map.of(), 4);

  @Test
  void wordCountFusesNarrowStepsAndCutsAtTheShuffle() throws IOException {
    ctx.textFile("/data/big.txt")
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator(), Encoders.strings())
        .filter(w -> !w.isEmpty())
        .mapToPair(w -> Pair.of(w, 1L), Encoders.strings(), Encoders.longs())
        .reduceByKey(Long::sum)
        .saveAsTextFile("/out/counts");
    assertGolden("wordcount.txt", capture.plans.get(0));
  }

  @Test
  void smallFilesArePackedAndChainedShufflesMakeThreeStages() throws IOException {
    ctx.textFile("/data/small")
        .mapToPair(line -> Pair.of(line.length(), line), Encoders.ints(), Encoders.strings())
        .groupByKey(3)
        .mapValues(values -> {
          int n = 0;
          for (String ignored : values) {
            n++;
          }
          return n;
        }, Encoders.ints())
        .partitionBy(new HashPartitioner(2))
        .count();
    assertGolden("small-files-two-shuffles.txt", capture.plans.get(0));
  }

  @Test
  void columnarSourcesNameTheColumnsTheyReadAndMultiLineCsvIsReadWhole() throws IOException {
    long total = ctx.parquetFile("/data/big.txt", Encoders.longs(), "amount")
        .mapBatches(batch -> List.of((long) batch.getRowCount()).iterator(), Encoders.longs())
        .count();
    ctx.csvFile("/data/big.txt", io.dflow.api.io.CsvOptions.csv().withHeader(true).withMultiLine(true))
        .map(row -> row[0], Encoders.strings())
        .saveAsArrowFile("/out/first-fields");
    assertEquals(0L, total);
    assertGolden("formats.txt", capture.plans.get(0) + "\n" + capture.plans.get(1));
  }

  @Test
  void aCollectionIsSlicedAFewTasksPerSlotNotOnePerElement() throws IOException {
    List<Long> numbers = LongStream.range(0, 3000).boxed().toList();
    Dataset<Long> squares = ctx.parallelize(numbers, Encoders.longs()).map(x -> x * x, Encoders.longs());
    assertGolden("parallelize.txt", squares.explain());
  }

  @Test
  void sortByKeyWaitsForItsRangeBounds() throws IOException {
    String plan = ctx.textFile("/data/big.txt")
        .mapToPair(line -> Pair.of(line, 1), Encoders.strings(), Encoders.ints())
        .sortByKey(false, 4)
        .explain();
    assertGolden("sort.txt", plan);
  }

  @Test
  void aDiamondReadsItsSourceInOneStageThatWritesBothShuffles() throws IOException {
    PairDataset<String, Long> pairs = ctx.textFile("/data/big.txt")
        .mapToPair(line -> Pair.of(line, (long) line.length()), Encoders.strings(), Encoders.longs());
    PairDataset<String, Long> sums = pairs.reduceByKey(Long::sum);
    PairDataset<String, Long> maxes = pairs.reduceByKey(Math::max);
    sums.join(maxes).count();
    assertGolden("diamond.txt", capture.plans.get(0));
  }

  @Test
  void aHashJoinShufflesBothSidesIntoOneCogroup() throws IOException {
    capture.joinBy(JoinStrategy.HASH);
    leftOuterJoinOfBigAndSmall();
    assertGolden("join.txt", capture.plans.get(0));
  }

  @Test
  void aSortMergeJoinSortsBothSidesMapSideAndMergesThem() throws IOException {
    leftOuterJoinOfBigAndSmall(); // auto: string keys, both sides shuffled
    assertGolden("join-sort-merge.txt", capture.plans.get(0));
  }

  @Test
  void keysWithoutANaturalOrderJoinByHashEvenWhenSortMergeIsAskedFor() throws IOException {
    capture.joinBy(JoinStrategy.SORT_MERGE);
    PairDataset<Pair<String, Integer>, Integer> left = ctx.textFile("/data/big.txt")
        .mapToPair(line -> Pair.of(Pair.of(line, 1), 1), Encoders.pairs(Encoders.strings(), Encoders.ints()),
            Encoders.ints());
    left.join(left, 3).count();
    assertTrue(capture.plans.get(0).contains("cogroup of 2"), capture.plans.get(0));
    assertFalse(capture.plans.get(0).contains("sort-merge"), capture.plans.get(0));
  }

  @Test
  void sortMergeByConfSortsInPlaceWhatIsPartitionedAlready() throws IOException {
    capture.joinBy(JoinStrategy.SORT_MERGE);
    HashPartitioner byFour = new HashPartitioner(4);
    PairDataset<String, Integer> left = ctx.textFile("/data/big.txt")
        .mapToPair(line -> Pair.of(line, 1), Encoders.strings(), Encoders.ints())
        .partitionBy(byFour);
    PairDataset<String, Integer> right = ctx.textFile("/data/small")
        .mapToPair(line -> Pair.of(line, 2), Encoders.strings(), Encoders.ints());
    left.fullOuterJoin(right).count();
    assertGolden("join-sort-merge-in-place.txt", capture.plans.get(0));
  }

  @Test
  void aSideSortedAscendingByTheJoinsPartitionerIsMergedAsItIsAndADescendingOneIsSortedAgain() throws IOException {
    capture.joinBy(JoinStrategy.SORT_MERGE);
    HashPartitioner byFour = new HashPartitioner(4);
    PairDataset<String, Integer> pairs = ctx.textFile("/data/big.txt")
        .mapToPair(line -> Pair.of(line, 1), Encoders.strings(), Encoders.ints());
    PairDataset<String, Integer> ascending = pairs.repartitionAndSortWithinPartitions(byFour);
    PairDataset<String, Integer> descending = pairs.repartitionAndSortWithinPartitions(byFour,
        io.dflow.api.KeyOrder.DESCENDING);
    ascending.join(descending, byFour).count();
    assertTrue(capture.plans.get(0).contains("sort-merge join by key (sorted map side, sorted in place;"),
        capture.plans.get(0));
  }

  private void leftOuterJoinOfBigAndSmall() {
    PairDataset<String, Integer> left = ctx.textFile("/data/big.txt")
        .mapToPair(line -> Pair.of(line, 1), Encoders.strings(), Encoders.ints());
    PairDataset<String, String> right = ctx.textFile("/data/small")
        .mapToPair(line -> Pair.of(line, line), Encoders.strings(), Encoders.strings());
    left.leftOuterJoin(right, 3).saveAsTextFile("/out/joined");
  }

  @Test
  void aJoinOfDatasetsPartitionedAlikeMovesNoData() throws IOException {
    HashPartitioner byFour = new HashPartitioner(4);
    PairDataset<String, Integer> left = ctx.textFile("/data/big.txt")
        .mapToPair(line -> Pair.of(line, 1), Encoders.strings(), Encoders.ints())
        .partitionBy(byFour);
    PairDataset<String, Integer> right = left.reduceByKey(Integer::sum).mapValues(n -> n * 2, Encoders.ints());
    left.join(right).count();
    assertGolden("copartitioned-join.txt", capture.plans.get(0));
  }

  @Test
  void aUnionPutsPartitionsSideBySideAndCoalesceMergesNeighbours() throws IOException {
    Dataset<String> big = ctx.textFile("/data/big.txt");
    Dataset<String> small = ctx.textFile("/data/small").map(String::trim, Encoders.strings());
    big.union(small).coalesce(2).saveAsTextFile("/out/both");
    assertGolden("union.txt", capture.plans.get(0));
  }

  @Test
  void anIterationReusesCachedLinksAndSkipsShufflesWrittenBefore() throws IOException {
    PairDataset<String, Iterable<String>> links = ctx.textFile("/data/big.txt")
        .mapToPair(line -> Pair.of(line, line), Encoders.strings(), Encoders.strings())
        .groupByKey(4)
        .cache();
    PairDataset<String, Double> ranks = links.mapValues(l -> 1.0, Encoders.doubles());
    for (int i = 0; i < 2; i++) {
      ranks = links.join(ranks)
          .flatMapValues(p -> java.util.stream.StreamSupport.stream(p.key().spliterator(), false)
              .map(dst -> p.value()).iterator(),
              Encoders.doubles())
          .mapToPair(p -> p, Encoders.strings(), Encoders.doubles())
          .reduceByKey(Double::sum, 4)
          .mapValues(r -> 0.15 + 0.85 * r, Encoders.doubles());
      ranks.count();
    }
    assertGolden("iteration-1.txt", capture.plans.get(0));
    assertGolden("iteration-2.txt", capture.plans.get(1));
  }

  @Test
  void anMpiStageIsAGangOfItsRanksBetweenTwoShuffles() throws IOException {
    ctx.textFile("/data/big.txt")
        .map(String::length, Encoders.ints())
        .mpi(4, (comm, lengths) -> lengths, Encoders.ints())
        .mapToPair(n -> Pair.of(n % 10, 1L), Encoders.ints(), Encoders.longs())
        .reduceByKey(Long::sum, 2)
        .count();
    assertGolden("mpi-gang.txt", capture.plans.get(0));
  }

  @Test
  void aGangOverACollectionOfItsSizeNeedsNoShuffle() throws IOException {
    String plan = ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 2)
        .mpi(2, (comm, part) -> part, Encoders.ints())
        .explain();
    assertGolden("mpi-collection.txt", plan);
  }

  @Test
  void aGangWhoseRanksWouldNotBeItsTasksIsRefusedAtPlanTime() {
    Dataset<Integer> ranks = ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 4)
        .mpi(4, (comm, part) -> part, Encoders.ints());
    IllegalArgumentException unioned = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ranks.union(ranks).count());
    assertEquals("the output of mpi(4) is combined into 8 tasks (a union or coalesce) in the stage that runs it;"
        + " shuffle or cache it first", unioned.getMessage());
    IllegalArgumentException coalesced = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> ranks.coalesce(2).count());
    assertTrue(coalesced.getMessage().contains("of mpi(4)"), coalesced.getMessage());
  }

  /** With {@code -Ddflow.golden.update=true}, rewrites the golden files instead (review the diff). */
  private static void assertGolden(String name, String actual) throws IOException {
    if (Boolean.getBoolean("dflow.golden.update")) {
      java.nio.file.Path file = java.nio.file.Path.of("src/test/resources/golden", name);
      java.nio.file.Files.writeString(file, actual);
      return;
    }
    try (InputStream in = GoldenPlanTest.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("missing golden file " + name + "; the plan was:\n" + actual);
      }
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, name);
    }
  }
}
