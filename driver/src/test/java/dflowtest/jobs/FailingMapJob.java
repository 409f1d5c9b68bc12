package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;

/** Word count whose mapper throws on the line {@code poison}: {@code <in> <out>}. */
public final class FailingMapJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    ctx.textFile(args[0])
        .map(line -> {
          if (line.equals("poison")) {
            throw new IllegalStateException("poisoned record");
          }
          return line;
        }, Encoders.strings())
        .mapToPair(w -> Pair.of(w, 1L), Encoders.strings(), Encoders.longs())
        .reduceByKey(Long::sum, 2)
        .saveAsTextFile(args[1]);
  }
}
