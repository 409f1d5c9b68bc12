package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.util.List;

/** Kills the executor JVM that runs its task (local-cluster only!): {@code <out>}. */
public final class HaltingJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 1)
        .map(x -> {
          System.err.println("halting executor on record " + x);
          Runtime.getRuntime().halt(3);
          return x;
        }, Encoders.ints())
        .saveAsTextFile(args[0]);
  }
}
