package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.mpi.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * A gang between ordinary stages: {@code <in> <out>} reads {@code key value} lines, runs
 * {@code mpi(4)} over the pairs (each rank passes its pairs on and adds the grand total of all
 * values, found by {@code allReduce}, as the pair {@code (#total, total)} from rank 0), then sums
 * by key and writes {@code key<TAB>sum} lines.
 */
public final class MpiPipelineJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    ctx.textFile(args[0])
        .map(line -> line.split(" "), Encoders.java(String[].class))
        .map(f -> Pair.of(f[0], Long.parseLong(f[1])), Encoders.pairs(Encoders.strings(), Encoders.longs()))
        .mpi(4, (comm, pairs) -> {
          List<Pair<String, Long>> out = new ArrayList<>();
          long[] total = {0};
          pairs.forEachRemaining(p -> {
            out.add(p);
            total[0] += p.value();
          });
          comm.allReduce(total, Op.SUM);
          if (comm.rank() == 0) {
            out.add(Pair.of("#total", total[0]));
          }
          return out.iterator();
        }, Encoders.pairs(Encoders.strings(), Encoders.longs()))
        .mapToPair(p -> p, Encoders.strings(), Encoders.longs())
        .reduceByKey(Long::sum, 3)
        .map(p -> p.key() + "\t" + p.value(), Encoders.strings())
        .saveAsTextFile(args[1]);
  }
}
