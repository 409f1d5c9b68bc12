package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Kills the executor JVM that first runs its task (local-cluster only!), then succeeds on the
 * retry: {@code <marker folder> <out>}. The marker file says the executor was killed once.
 */
public final class HaltOnceJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    String marker = args[0];
    ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 1)
        .map(x -> {
          Path once = Path.of(marker, "halted");
          if (Files.notExists(once)) {
            Files.createFile(once);
            Runtime.getRuntime().halt(9);
          }
          return x * 10;
        }, Encoders.ints())
        .saveAsTextFile(args[1]);
  }
}
