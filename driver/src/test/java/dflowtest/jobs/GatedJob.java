package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Two jobs, the second held open by a gate: {@code <gate file>}. Job 0 counts 100 numbers in 4
 * tasks; job 1's 2 tasks each wait until the gate file exists (for at most 5 minutes), then count.
 */
public final class GatedJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    String gate = args[0];
    List<Integer> numbers = IntStream.range(0, 100).boxed().toList();
    System.out.println("first " + ctx.parallelize(numbers, Encoders.ints(), 4).count());
    long second = ctx.parallelize(numbers, Encoders.ints(), 2).mapPartitionsWithIndex((slice, xs) -> {
      long until = System.currentTimeMillis() + 300_000;
      while (Files.notExists(Path.of(gate)) && System.currentTimeMillis() < until) {
        Thread.sleep(20);
      }
      return xs;
    }, Encoders.ints()).count();
    System.out.println("second " + second);
  }
}
