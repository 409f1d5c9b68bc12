package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Dataset;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.mpi.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * A gang over a cached dataset: {@code <markers>} caches 4 partitions of the numbers 1..40,000
 * (each computation of a partition leaves a file in {@code markers}), counts them, then runs
 * {@code mpi(4)} over the cached partitions, each rank summing its own and {@code allReduce}-ing
 * the total, and prints {@code count C total T} and what the ranks saw.
 */
public final class MpiCachedJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    String markers = args[0];
    List<Long> numbers = LongStream.rangeClosed(1, 40_000).boxed().toList();
    Dataset<Long> cached = ctx.parallelize(numbers, Encoders.longs(), 4)
        .mapPartitionsWithIndex((index, it) -> {
          try {
            Files.createTempFile(Path.of(markers), "computed-" + index + "-", "");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return it;
        }, Encoders.longs())
        .cache();
    long count = cached.count();
    List<Long> totals = cached.mpi(4, (comm, part) -> {
      long[] sum = {0};
      part.forEachRemaining(x -> sum[0] += x);
      comm.allReduce(sum, Op.SUM);
      List<Long> out = new ArrayList<>();
      out.add(sum[0]);
      return out.iterator();
    }, Encoders.longs()).collect();
    System.out.println("count " + count + " totals " + totals);
  }
}
