package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.PairDataset;
import io.dflow.api.Partitioner;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every wide step over numbers read from {@code <in>} (one integer per line) and writes
 * each result under {@code <out>/<step>}: sums per key (reduceByKey), sorted value lists per
 * key (groupByKey), a descending sort, a partitionBy on key parity, plus count and collect
 * summaries in {@code <out>/summary}.
 */
public final class WideStepsJob implements DflowJob {
  /** Even keys to partition 0, odd keys to partition 1. */
  public record Parity() implements Partitioner {
    @Override
    public int numPartitions() {
      return 2;
    }

    @Override
    public int partition(Object key) {
      return Math.floorMod((Long) key, 2);
    }
  }

  @Override
  public void run(JobContext ctx, String[] args) {
    String out = args[1];
    PairDataset<Long, Long> byMod = ctx.textFile(args[0])
        .map(Long::parseLong, Encoders.longs())
        .mapToPair(n -> io.dflow.api.Pair.of(n % 97, n), Encoders.longs(), Encoders.longs());
    byMod.reduceByKey(Long::sum, 3).saveAsTextFile(out + "/reduce");
    byMod.groupByKey(2)
        .mapValues(values -> {
          List<Long> sorted = new ArrayList<>();
          values.forEach(sorted::add);
          sorted.sort(null);
          return sorted.toString();
        }, Encoders.strings())
        .saveAsTextFile(out + "/group");
    byMod.mapToPair(p -> io.dflow.api.Pair.of(p.value(), p.key()), Encoders.longs(), Encoders.longs())
        .sortByKey(false, 3)
        .saveAsTextFile(out + "/sort");
    byMod.partitionBy(new Parity()).saveAsTextFile(out + "/parity");
    long count = byMod.count();
    List<io.dflow.api.Pair<Long, Long>> firstKeys = byMod.filter(p -> p.value() < 5).collect();
    ctx.parallelize(List.of("count=" + count, "small=" + firstKeys.size()), Encoders.strings(), 1)
        .saveAsTextFile(out + "/summary");
  }
}
