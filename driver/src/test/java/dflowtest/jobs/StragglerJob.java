package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.plan.TaskScope;
import java.util.stream.IntStream;

/**
 * Writes the numbers 0 to 7999 to {@code <out>} in 8 partitions, where the first attempt of
 * partition 3 stalls for two minutes before its first record (a straggler on a slow disk); any
 * other attempt, a speculative copy included, runs at full speed.
 */
public final class StragglerJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    ctx.parallelize(IntStream.range(0, 8000).boxed().toList(), Encoders.ints(), 8)
        .map(x -> {
          var task = TaskScope.current().task();
          if (task.partition() == 3 && task.attempt() == 0 && x % 1000 == 0) {
            Thread.sleep(120_000);
          }
          return x;
        }, Encoders.ints())
        .saveAsTextFile(args[0]);
  }
}
