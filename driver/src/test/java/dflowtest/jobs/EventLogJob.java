package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.LongCounter;
import io.dflow.api.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A job the event log test knows everything about: {@code <marker folder>}. 400 numbers in 40
 * tiny tasks, counted by the counter {@code seen}; the task of slice 7 fails once (the marker
 * file remembers); then a reduce by x % 5 into 2 partitions, collected and printed.
 */
public final class EventLogJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    String markers = args[0];
    LongCounter seen = ctx.counter("seen");
    List<Pair<Integer, Long>> sums = ctx.parallelize(IntStream.range(0, 400).boxed().toList(), Encoders.ints(), 40)
        .mapPartitionsWithIndex((slice, xs) -> {
          Path once = Path.of(markers, "failed-" + slice);
          if (slice == 7 && Files.notExists(once)) {
            Files.createFile(once);
            throw new IllegalStateException("slice 7 fails once");
          }
          return xs;
        }, Encoders.ints())
        .map(x -> {
          seen.add(1);
          return x;
        }, Encoders.ints())
        .mapToPair(x -> Pair.of(x % 5, (long) x), Encoders.ints(), Encoders.longs())
        .reduceByKey(Long::sum, 2)
        .collect();
    System.out.println("sums " + sums);
  }
}
