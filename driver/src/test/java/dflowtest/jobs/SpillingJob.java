package dflowtest.jobs;

import io.dflow.api.Dataset;
import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Shuffles of every kind over numbers read from {@code <in>} (one integer per line), meant to be
 * run with a tiny {@code dflow.task.memoryBytes} so that every sorter spills: sums per
 * {@code n % 20011} (reduceByKey), sorted value lists per {@code n % 1009} (groupByKey), a sort by
 * string keys that all share their first four characters, and a join of {@code (n % 2000, n)}
 * with names of the numbers below 3000 not divisible by 3. After each action it lists the files
 * left in any task's scratch folder under {@code dflow.local.dir} (where spill files live) and
 * writes that list to {@code <out>/leftovers}: it must be empty.
 */
public final class SpillingJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    String out = args[1];
    Path localDir = Path.of(ctx.conf("dflow.local.dir", "/nonexistent"));
    List<String> leftovers = new ArrayList<>();
    Dataset<Long> numbers = ctx.textFile(args[0]).map(Long::parseLong, Encoders.longs());

    numbers.mapToPair(n -> Pair.of(n % 20011, n), Encoders.longs(), Encoders.longs())
        .reduceByKey(Long::sum, 3)
        .saveAsTextFile(out + "/reduce");
    leftovers.addAll(taskFiles(localDir, "reduceByKey"));
    long shuffleFiles = filesUnder(localDir, "shuffle").size(); // the walk sees the executors' folders

    numbers.mapToPair(n -> Pair.of(n % 1009, n), Encoders.longs(), Encoders.longs())
        .groupByKey(2)
        .mapValues(values -> {
          List<Long> sorted = new ArrayList<>();
          values.forEach(sorted::add);
          sorted.sort(null);
          return sorted.toString();
        }, Encoders.strings())
        .saveAsTextFile(out + "/group");
    leftovers.addAll(taskFiles(localDir, "groupByKey"));

    numbers.mapToPair(n -> Pair.of("key-" + (n * 7919 % 50_000) + "-" + n, n), Encoders.strings(), Encoders.longs())
        .sortByKey(true, 3)
        .saveAsTextFile(out + "/sort");
    leftovers.addAll(taskFiles(localDir, "sortByKey"));

    PairDataset<Long, Long> left = numbers.mapToPair(n -> Pair.of(n % 2000, n), Encoders.longs(), Encoders.longs());
    PairDataset<Long, String> names = numbers.filter(n -> n < 3000 && n % 3 != 0)
        .mapToPair(n -> Pair.of(n, "name-" + n), Encoders.longs(), Encoders.strings());
    left.join(names, 4).saveAsTextFile(out + "/join");
    leftovers.addAll(taskFiles(localDir, "join"));

    ctx.parallelize(leftovers, Encoders.strings(), 1).saveAsTextFile(out + "/leftovers");
    ctx.parallelize(List.of("shuffle files seen: " + shuffleFiles), Encoders.strings(), 1)
        .saveAsTextFile(out + "/seen");
  }

  /** Files under a {@code tasks} folder of any executor's local directory: what tasks left behind. */
  static List<String> taskFiles(Path localDir, String after) {
    if (!Files.isDirectory(localDir)) {
      return List.of("after " + after + ": no local directory " + localDir);
    }
    return filesUnder(localDir, "tasks").stream().map(f -> "after " + after + ": " + f).toList();
  }

  /** The files below {@code localDir} with a folder named {@code folder} on their path. */
  static List<Path> filesUnder(Path localDir, String folder) {
    if (!Files.isDirectory(localDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(localDir)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> {
            for (Path part : localDir.relativize(f)) {
              if (part.toString().equals(folder)) {
                return true;
              }
            }
            return false;
          })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
