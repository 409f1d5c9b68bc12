package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.util.List;

/** Saves four numbers, each map call sleeping a minute: a job still running when it is cancelled. {@code <out>}. */
public final class SlowSaveJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 2)
        .map(x -> {
          Thread.sleep(60_000);
          return x;
        }, Encoders.ints())
        .saveAsTextFile(args[0]);
  }
}
