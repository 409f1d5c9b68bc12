package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.util.List;

/** A map function that calls {@code System.exit(5)}: user code ending the process it runs in. */
public final class ExitingJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 2)
        .map(ExitingJob::exit, Encoders.ints())
        .saveAsTextFile(args[0]);
  }

  private static int exit(int x) {
    System.exit(5);
    return x;
  }
}
