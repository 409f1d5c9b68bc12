package io.dflow.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dflow.api.Dataset;
import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.InputFile;
import io.dflow.api.plan.InputFile.BlockInfo;
import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.LogicalNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

  /** Records the plan of each action instead of running it. */
  private static final class PlanCapture implements JobRunner {
    final Planner planner = new Planner(new PlannerConf(4, 128 * MIB, 2), GoldenPlanTest::list);
    final List<String> plans = new ArrayList<>();

    @Override
    public Object run(LogicalNode node, Action action) {
      plans.add(explain(node, action));
      return action instanceof Action.Count ? (Object) 0L : List.of();
    }

    @Override
    public String explain(LogicalNode node, Action action) {
      return planner.plan(node, action).explain();
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
        .mapValues(List::size, Encoders.ints())
        .partitionBy(new HashPartitioner(2))
        .count();
    assertGolden("small-files-two-shuffles.txt", capture.plans.get(0));
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
