package io.dflow.driver;

import io.dflow.api.KeyOrder;
import io.dflow.api.Pair;
import io.dflow.api.RangePartitioner;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.LogicalNode;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.Steps;
import io.dflow.api.Encoders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Gives every {@code sortByKey} its range partitioner before its map stage runs, from a sample
 * of its input's keys (a job of its own that reads the input once more, as in Spark).
 */
final class SortBoundsSampler {
  /** Keys sampled per reduce partition, from each input partition. */
  static final int SAMPLE_PER_PARTITION = 20;

  private final JobRunner runner;
  private final long collectMaxBytes;

  SortBoundsSampler(JobRunner runner, long collectMaxBytes) {
    this.runner = runner;
    this.collectMaxBytes = collectMaxBytes;
  }

  /** {@code node} with every unsampled sort shuffle below it given range bounds. */
  LogicalNode resolve(LogicalNode node) {
    if (node instanceof LogicalNode.Narrow n) {
      LogicalNode parent = resolve(n.parent());
      return parent == n.parent() ? n : new LogicalNode.Narrow(n.id(), parent, n.step(), n.encoder());
    }
    if (node instanceof LogicalNode.Shuffle s) {
      LogicalNode parent = resolve(s.parent());
      ShuffleSpec spec = s.spec();
      if (spec.partitioner() == null) {
        spec = spec.withPartitioner(new RangePartitioner(bounds(parent, spec), spec.order()));
      }
      return parent == s.parent() && spec == s.spec() ? s
          : new LogicalNode.Shuffle(s.id(), parent, spec, s.encoder());
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private List<Object> bounds(LogicalNode input, ShuffleSpec spec) {
    int partitions = spec.numPartitions();
    if (partitions == 1) {
      return List.of();
    }
    LogicalNode sample = new LogicalNode.Narrow(-1, input,
        Steps.mapPartitions(new KeySample(SAMPLE_PER_PARTITION * partitions)), Encoders.javaUnchecked(Object.class));
    List<Object> keys = new ArrayList<>((List<Object>) runner.run(sample, new Action.Collect(collectMaxBytes)));
    KeyOrder order = spec.order();
    keys.sort(order);
    List<Object> bounds = new ArrayList<>();
    for (int i = 1; i < partitions && !keys.isEmpty(); i++) {
      Object bound = keys.get((int) ((long) keys.size() * i / partitions));
      if (bounds.isEmpty() || order.compare(bounds.get(bounds.size() - 1), bound) < 0) {
        bounds.add(bound);
      }
    }
    return bounds;
  }

  /** A reservoir sample of the keys of one partition. */
  private record KeySample(int size) implements PartitionFunction<Object, Object> {
    @Override
    public Iterator<Object> apply(Iterator<Object> records) {
      List<Object> reservoir = new ArrayList<>(size);
      Random random = new Random(42);
      long seen = 0;
      while (records.hasNext()) {
        Object key = ((Pair<?, ?>) records.next()).key();
        if (reservoir.size() < size) {
          reservoir.add(key);
        } else {
          long slot = (long) (random.nextDouble() * (seen + 1));
          if (slot < size) {
            reservoir.set((int) slot, key);
          }
        }
        seen++;
      }
      return reservoir.iterator();
    }
  }
}
