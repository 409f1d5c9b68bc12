package io.dflow.api;

import io.dflow.api.function.MapFunction;
import io.dflow.api.function.ReduceFunction;
import io.dflow.api.plan.LogicalNode;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.ShuffleSpec.Kind;
import io.dflow.api.plan.Steps;
import java.util.List;

/** A dataset of key/value pairs: adds the wide steps that regroup records by key. */
public final class PairDataset<K, V> extends Dataset<Pair<K, V>> {

  PairDataset(JobContext context, LogicalNode node) {
    super(context, node);
  }

  private Encoder.PairOf<?, ?> pairEncoder() {
    return (Encoder.PairOf<?, ?>) node.encoder();
  }

  /** Merges the values of each key with {@code fn}, map side first, into the default partitions. */
  public PairDataset<K, V> reduceByKey(ReduceFunction<V> fn) {
    return reduceByKey(fn, context.shufflePartitions());
  }

  @SuppressWarnings("unchecked")
  public PairDataset<K, V> reduceByKey(ReduceFunction<V> fn, int numPartitions) {
    requireHashableKeys("reduceByKey");
    return shuffle(Kind.REDUCE_BY_KEY, new HashPartitioner(numPartitions),
        (ReduceFunction<Object>) (ReduceFunction<?>) fn, null, node.encoder());
  }

  /** All values of each key as a list. */
  public PairDataset<K, List<V>> groupByKey() {
    return groupByKey(context.shufflePartitions());
  }

  @SuppressWarnings("unchecked")
  public PairDataset<K, List<V>> groupByKey(int numPartitions) {
    requireHashableKeys("groupByKey");
    Encoder<Pair<K, List<V>>> enc = Encoders.pairs(
        (Encoder<K>) keyEncoder(), Encoders.javaUnchecked(List.class));
    return shuffle(Kind.GROUP_BY_KEY, new HashPartitioner(numPartitions), null, null, enc);
  }

  /** A total order by key across partitions: part 0 holds the smallest keys. Keys must be {@link Comparable}. */
  public PairDataset<K, V> sortByKey() {
    return sortByKey(true, context.shufflePartitions());
  }

  public PairDataset<K, V> sortByKey(boolean ascending, int numPartitions) {
    if (numPartitions < 1) {
      throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
    }
    return shuffle(Kind.SORT_BY_KEY, null, null,
        ascending ? KeyOrder.ASCENDING : KeyOrder.DESCENDING, node.encoder(), numPartitions);
  }

  /** Regroups records with a user partitioner; records keep no particular order. */
  public PairDataset<K, V> partitionBy(Partitioner partitioner) {
    return shuffle(Kind.PARTITION_BY, partitioner, null, null, node.encoder());
  }

  /** Maps each value, keeping its key. */
  @SuppressWarnings("unchecked")
  public <W> PairDataset<K, W> mapValues(MapFunction<V, W> fn, Encoder<W> valueEncoder) {
    MapFunction<Pair<K, V>, Pair<K, W>> f = p -> Pair.of(p.key(), fn.apply(p.value()));
    return new PairDataset<>(context, new LogicalNode.Narrow(context.nextId(), node,
        Steps.map(f), Encoders.pairs((Encoder<K>) keyEncoder(), valueEncoder)));
  }

  @SuppressWarnings("unchecked")
  private Encoder<K> keyEncoder() {
    return (Encoder<K>) pairEncoder().key();
  }

  private void requireHashableKeys(String step) {
    if (pairEncoder().key() instanceof Encoder.Scalar<?> s && s.kind() == Encoder.ScalarKind.BYTES) {
      throw new IllegalArgumentException(step + " cannot group byte[] keys (arrays have identity equality); wrap them in a String or a record");
    }
  }

  private <W> PairDataset<K, W> shuffle(Kind kind, Partitioner partitioner,
      io.dflow.api.function.ReduceFunction<Object> combiner, KeyOrder order, Encoder<?> out) {
    return shuffle(kind, partitioner, combiner, order, out, partitioner.numPartitions());
  }

  private <W> PairDataset<K, W> shuffle(Kind kind, Partitioner partitioner,
      io.dflow.api.function.ReduceFunction<Object> combiner, KeyOrder order, Encoder<?> out,
      int numPartitions) {
    Encoder.PairOf<?, ?> in = pairEncoder();
    ShuffleSpec spec = new ShuffleSpec(kind, partitioner, numPartitions, in.key(), in.value(),
        combiner, order);
    return new PairDataset<>(context,
        new LogicalNode.Shuffle(context.nextId(), node, spec, out));
  }
}
