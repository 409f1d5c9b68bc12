package io.dflow.driver;

import io.dflow.api.Encoders;
import io.dflow.api.KeyComparator;
import io.dflow.api.Pair;
import io.dflow.api.Partitioner;
import io.dflow.api.RangePartitioner;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.LogicalNode;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.Steps;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Gives every {@code sortByKey} its range partitioner before its map stage runs, from a sample
 * of its input's keys (a job of its own that reads the input once more, as in Spark). Each sort
 * is sampled once per application: the bounds are kept by node, so every later job plans it
 * alike and can reuse its shuffle.
 */
final class SortBoundsSampler {
  /** Keys sampled per reduce partition, from each input partition. */
  static final int SAMPLE_PER_PARTITION = 20;

  private final JobRunner runner;
  private final long collectMaxBytes;
  private final Map<Integer, Partitioner> sampled;

  /** @param sampled the bounds found so far, by sort node id; filled in as sorts are sampled */
  SortBoundsSampler(JobRunner runner, long collectMaxBytes, Map<Integer, Partitioner> sampled) {
    this.runner = runner;
    this.collectMaxBytes = collectMaxBytes;
    this.sampled = sampled;
  }

  /** Samples every sort under {@code root} not sampled yet, inner sorts first. */
  void sampleSorts(LogicalNode root) {
    visit(root, new HashSet<>());
  }

  private void visit(LogicalNode node, Set<Integer> seen) {
    if (!seen.add(node.id())) {
      return;
    }
    for (LogicalNode child : node.children()) {
      visit(child, seen);
    }
    if (node instanceof LogicalNode.Shuffle s && s.spec().partitioner() == null && !sampled.containsKey(s.id())) {
      sampled.put(s.id(), new RangePartitioner(bounds(s.parent(), s.spec()), s.spec().order()));
    }
  }

  @SuppressWarnings("unchecked")
  private List<Object> bounds(LogicalNode input, ShuffleSpec spec) {
    int partitions = spec.numPartitions();
    if (partitions == 1) {
      return List.of();
    }
    LogicalNode sample = new LogicalNode.Narrow(-1, input,
        Steps.mapPartitions(new KeySample(SAMPLE_PER_PARTITION * partitions)), Encoders.javaUnchecked(Object.class),
        false);
    List<Object> keys = new ArrayList<>((List<Object>) runner.run(sample, new Action.Collect(collectMaxBytes)));
    KeyComparator<Object> order = spec.order();
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
