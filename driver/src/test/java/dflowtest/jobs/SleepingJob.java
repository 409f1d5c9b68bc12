package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.util.List;

/** A map function that sleeps for a minute on its first record, as a hung task would. */
public final class SleepingJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    ctx.parallelize(List.of(1, 2, 3), Encoders.ints(), 1)
        .map(x -> {
          Thread.sleep(60_000);
          return x;
        }, Encoders.ints())
        .count();
  }
}
