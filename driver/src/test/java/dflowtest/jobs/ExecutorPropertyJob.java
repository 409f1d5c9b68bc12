package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.util.List;

/**
 * Writes, one line per task, the value its JVM has for the system property {@code <name>}
 * ("unset" where it has none): {@code <name> <out>}. Shows what executor JVMs were started with.
 */
public final class ExecutorPropertyJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    String name = args[0];
    ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 4)
        .map(x -> System.getProperty(name, "unset"), Encoders.strings())
        .saveAsTextFile(args[1]);
  }
}
