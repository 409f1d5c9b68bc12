package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.plan.TaskScope;
import java.util.stream.IntStream;

/**
 * Writes the numbers 0 to 3999 to {@code <out>} in 4 partitions, where the first attempt of
 * partition 1 spins for 60 s before its first record, clearing every interrupt: a task deaf to
 * its kill, as a tight loop in native or badly written code is; then runs a 3 s job.
 */
public final class DeafTaskJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    ctx.parallelize(IntStream.range(0, 4000).boxed().toList(), Encoders.ints(), 4)
        .map(x -> {
          var task = TaskScope.current().task();
          if (task.partition() == 1 && task.attempt() == 0 && x == 1000) {
            long until = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < until) {
              Thread.interrupted();
            }
          }
          return x;
        }, Encoders.ints())
        .saveAsTextFile(args[0]);
    // a second job, long enough for a lost executor to be noticed and replaced before the end
    ctx.parallelize(java.util.List.of(1), Encoders.ints(), 1).map(x -> {
      Thread.sleep(3000);
      return x;
    }, Encoders.ints()).count();
  }
}
