package io.dflow.api;

import io.dflow.api.function.FilterFunction;
import io.dflow.api.function.FlatMapFunction;
import io.dflow.api.function.MapFunction;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.LogicalNode;
import io.dflow.api.plan.Step;
import io.dflow.api.plan.Steps;
import java.util.List;

/**
 * A typed, partitioned collection of records, built lazily: steps add nodes to a logical plan,
 * and an action ({@link #count}, {@link #collect}, {@link #saveAsTextFile}) runs it.
 */
public class Dataset<T> {
  final JobContext context;
  final LogicalNode node;

  Dataset(JobContext context, LogicalNode node) {
    this.context = context;
    this.node = node;
  }

  public <R> Dataset<R> map(MapFunction<T, R> fn, Encoder<R> encoder) {
    return narrow(Steps.map(fn), encoder);
  }

  public <R> Dataset<R> flatMap(FlatMapFunction<T, R> fn, Encoder<R> encoder) {
    return narrow(Steps.flatMap(fn), encoder);
  }

  public Dataset<T> filter(FilterFunction<T> fn) {
    return narrow(Steps.filter(fn), encoder());
  }

  public <R> Dataset<R> mapPartitions(PartitionFunction<T, R> fn, Encoder<R> encoder) {
    return narrow(Steps.mapPartitions(fn), encoder);
  }

  /** Turns each record into a key/value pair, opening the wide steps of {@link PairDataset}. */
  public <K, V> PairDataset<K, V> mapToPair(
      MapFunction<T, Pair<K, V>> fn, Encoder<K> keyEncoder, Encoder<V> valueEncoder) {
    Encoder<Pair<K, V>> enc = Encoders.pairs(keyEncoder, valueEncoder);
    return new PairDataset<>(context,
        new LogicalNode.Narrow(context.nextId(), node, Steps.map(fn), enc));
  }

  /** Writes one text file per partition under {@code path}: a pair as {@code key<TAB>value}, anything else as its string. */
  public void saveAsTextFile(String path) {
    context.run(node, new Action.SaveText(path));
  }

  public long count() {
    return (Long) context.run(node, new Action.Count());
  }

  /** All records, in partition order; fails if they pass {@code dflow.collect.maxBytes}. */
  @SuppressWarnings("unchecked")
  public List<T> collect() {
    return (List<T>) context.run(node, new Action.Collect(context.collectMaxBytes()));
  }

  /** The stages and tasks that {@link #collect} would run, as text. */
  public String explain() {
    return context.explain(node, new Action.Collect(context.collectMaxBytes()));
  }

  /** The encoder of this dataset's records. */
  @SuppressWarnings("unchecked")
  public Encoder<T> encoder() {
    return (Encoder<T>) node.encoder();
  }

  /** The logical plan node behind this dataset (for the planner and tests). */
  public LogicalNode logicalNode() {
    return node;
  }

  private <R> Dataset<R> narrow(Step step, Encoder<R> encoder) {
    return new Dataset<>(context, new LogicalNode.Narrow(context.nextId(), node, step, encoder));
  }
}
