package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;

/** Word count whose mapper, on the line {@code poison}, prints a line to stderr and throws: {@code <in> <out>}. */
public final class FailingMapJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    ctx.textFile(args[0])
        .map(line -> {
          if (line.equals("poison")) {
            System.err.println("the mapper says: a poisoned record came");
            throw new IllegalStateException("poisoned record");
          }
          return line;
        }, Encoders.strings())
        .mapToPair(w -> Pair.of(w, 1L), Encoders.strings(), Encoders.longs())
        .reduceByKey(Long::sum, 2)
        .saveAsTextFile(args[1]);
  }
}
