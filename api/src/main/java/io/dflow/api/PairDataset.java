package io.dflow.api;

import io.dflow.api.function.FilterFunction;
import io.dflow.api.function.FlatMapFunction;
import io.dflow.api.function.Function2;
import io.dflow.api.function.MapFunction;
import io.dflow.api.function.ReduceFunction;
import io.dflow.api.plan.Aggregator;
import io.dflow.api.plan.Join;
import io.dflow.api.plan.LogicalNode;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.ShuffleSpec.Kind;
import io.dflow.api.plan.Steps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A dataset of key/value pairs: adds the steps that regroup records by key (aggregations,
 * grouping, sorting, joins). A wide step whose input is already partitioned by the partitioner
 * it needs moves no data: a second {@code reduceByKey} over the output of a first, or a join of
 * two datasets partitioned alike, runs where the data is.
 */
public final class PairDataset<K, V> extends Dataset<Pair<K, V>> {

  PairDataset(JobContext context, LogicalNode node) {
    super(context, node);
  }

  @Override
  PairDataset<K, V> same(LogicalNode newNode) {
    return new PairDataset<>(context, newNode);
  }

  /** The partitioner this dataset is known to be partitioned by, or null. */
  public Partitioner partitioner() {
    return node.partitioner();
  }

  /**
   * Writes one Hadoop SequenceFile per partition under {@code path}, of the Writables of the key
   * and value encoders (see {@link JobContext#sequenceFile}).
   */
  public void saveAsSequenceFile(String path) {
    io.dflow.api.io.Columns.requireScalars("saveAsSequenceFile", node.encoder());
    save(path, new io.dflow.api.plan.FileFormat.Sequence());
  }

  // ---- aggregations

  /** Merges the values of each key with {@code fn}, map side first, into the default partitions. */
  public PairDataset<K, V> reduceByKey(ReduceFunction<V> fn) {
    return reduceByKey(fn, defaultPartitioner());
  }

  public PairDataset<K, V> reduceByKey(ReduceFunction<V> fn, int numPartitions) {
    return reduceByKey(fn, new HashPartitioner(numPartitions));
  }

  @SuppressWarnings("unchecked")
  public PairDataset<K, V> reduceByKey(ReduceFunction<V> fn, Partitioner partitioner) {
    return aggregate("reduceByKey", Aggregator.reducing((ReduceFunction<Object>) (ReduceFunction<?>) fn),
        valueEncoder(), partitioner);
  }

  /** Merges the values of each key with {@code fn}, starting from a copy of {@code zero} per key. */
  public PairDataset<K, V> foldByKey(V zero, ReduceFunction<V> fn) {
    return foldByKey(zero, fn, defaultPartitioner());
  }

  public PairDataset<K, V> foldByKey(V zero, ReduceFunction<V> fn, int numPartitions) {
    return foldByKey(zero, fn, new HashPartitioner(numPartitions));
  }

  public PairDataset<K, V> foldByKey(V zero, ReduceFunction<V> fn, Partitioner partitioner) {
    Zero<V> fresh = Zero.of(zero);
    return combineByKey("foldByKey", v -> fn.apply(fresh.make(), v), fn::apply, fn,
        valueEncoder(), partitioner);
  }

  /**
   * Aggregates the values of each key into a {@code U}: {@code seqOp} folds a value into an
   * aggregate that starts as a copy of {@code zero}, {@code combOp} merges aggregates.
   */
  public <U> PairDataset<K, U> aggregateByKey(U zero, Function2<U, V, U> seqOp, ReduceFunction<U> combOp,
      Encoder<U> aggregateEncoder) {
    return aggregateByKey(zero, seqOp, combOp, aggregateEncoder, defaultPartitioner());
  }

  public <U> PairDataset<K, U> aggregateByKey(U zero, Function2<U, V, U> seqOp, ReduceFunction<U> combOp,
      Encoder<U> aggregateEncoder, int numPartitions) {
    return aggregateByKey(zero, seqOp, combOp, aggregateEncoder, new HashPartitioner(numPartitions));
  }

  public <U> PairDataset<K, U> aggregateByKey(U zero, Function2<U, V, U> seqOp, ReduceFunction<U> combOp,
      Encoder<U> aggregateEncoder, Partitioner partitioner) {
    Zero<U> fresh = Zero.of(zero);
    return combineByKey("aggregateByKey", v -> seqOp.apply(fresh.make(), v), seqOp, combOp,
        aggregateEncoder, partitioner);
  }

  /**
   * The general aggregation: the first value of a key becomes {@code createCombiner(value)},
   * later ones are merged in with {@code mergeValue}, and the aggregates of different map tasks
   * with {@code mergeCombiners}.
   */
  public <C> PairDataset<K, C> combineByKey(MapFunction<V, C> createCombiner, Function2<C, V, C> mergeValue,
      ReduceFunction<C> mergeCombiners, Encoder<C> combinerEncoder) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, combinerEncoder, defaultPartitioner());
  }

  public <C> PairDataset<K, C> combineByKey(MapFunction<V, C> createCombiner, Function2<C, V, C> mergeValue,
      ReduceFunction<C> mergeCombiners, Encoder<C> combinerEncoder, int numPartitions) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, combinerEncoder,
        new HashPartitioner(numPartitions));
  }

  public <C> PairDataset<K, C> combineByKey(MapFunction<V, C> createCombiner, Function2<C, V, C> mergeValue,
      ReduceFunction<C> mergeCombiners, Encoder<C> combinerEncoder, Partitioner partitioner) {
    return combineByKey("combineByKey", createCombiner, mergeValue, mergeCombiners, combinerEncoder, partitioner);
  }

  @SuppressWarnings("unchecked")
  private <C> PairDataset<K, C> combineByKey(String name, MapFunction<V, C> createCombiner,
      Function2<C, V, C> mergeValue, ReduceFunction<C> mergeCombiners, Encoder<C> combinerEncoder,
      Partitioner partitioner) {
    Aggregator aggregator = new Aggregator(
        (MapFunction<Object, Object>) (MapFunction<?, ?>) createCombiner,
        (Function2<Object, Object, Object>) (Function2<?, ?, ?>) mergeValue,
        (ReduceFunction<Object>) (ReduceFunction<?>) mergeCombiners);
    return aggregate(name, aggregator, combinerEncoder, partitioner);
  }

  /** How many records each key has. */
  public Map<K, Long> countByKey() {
    List<Pair<K, Long>> counts = mapValues(v -> 1L, Encoders.longs()).reduceByKey(Long::sum).collect();
    Map<K, Long> out = new HashMap<>(counts.size() * 2);
    for (Pair<K, Long> p : counts) {
      out.put(p.key(), p.value());
    }
    return out;
  }

  // ---- grouping, sorting, partitioning

  /**
   * All values of each key, as Hadoop's reducers and Spark's {@code groupByKey} see them: one
   * record per key whose value is an {@link Iterable} over the key's values, in no particular
   * order. The values are handed out as the reducer merges the sorted map outputs, so one key's
   * values may be larger than memory. The contract:
   * <ul>
   *   <li>A key whose values fit in the task's execution memory ({@code dflow.task.memoryBytes},
   *       shared with the task's other sorters) gets them as a {@link List}: iterate it any
   *       number of times and keep it as long as you like.
   *   <li>A larger key's values stream from the merge: iterate them <b>once</b>, before taking
   *       the next key. A second iteration, or one after the next key was taken, throws an
   *       {@link IllegalStateException} saying so; values not iterated are skipped. Copy what a
   *       second pass needs while iterating.
   *   <li>Caching, collecting or shuffling the grouped records again stores each key's values,
   *       so those must fit in memory.
   * </ul>
   */
  public PairDataset<K, Iterable<V>> groupByKey() {
    return groupByKey(defaultPartitioner());
  }

  /** {@link #groupByKey()} into {@code numPartitions} hash partitions. */
  public PairDataset<K, Iterable<V>> groupByKey(int numPartitions) {
    return groupByKey(new HashPartitioner(numPartitions));
  }

  /** {@link #groupByKey()} by {@code partitioner}. */
  public PairDataset<K, Iterable<V>> groupByKey(Partitioner partitioner) {
    requireGroupableKeys("groupByKey");
    return shuffle(new ShuffleSpec(Kind.GROUP, "groupByKey", partitioner, partitioner.numPartitions(),
        keyEncoder(), valueEncoder(), null, null),
        Encoders.pairs(keyEncoder(), Encoders.javaUnchecked(Iterable.class)));
  }

  /** A total order by key across partitions: part 0 holds the smallest keys. Keys must be {@link Comparable}. */
  public PairDataset<K, V> sortByKey() {
    return sortByKey(true, context.shufflePartitions());
  }

  public PairDataset<K, V> sortByKey(boolean ascending) {
    return sortByKey(ascending, context.shufflePartitions());
  }

  public PairDataset<K, V> sortByKey(boolean ascending, int numPartitions) {
    return shuffle(new ShuffleSpec(Kind.SORT, "sortByKey", null, numPartitions, keyEncoder(),
        valueEncoder(), null, ascending ? KeyOrder.ASCENDING : KeyOrder.DESCENDING), node.encoder());
  }

  /**
   * Regroups records with {@code partitioner} and sorts each partition by key in {@code order}
   * ({@link KeyOrder} for the natural order of {@link Comparable} or {@code byte[]} keys): what a
   * sort-merge join or a reducer that wants its keys in order (as Hadoop's reducers get them)
   * needs, without a total order's sampling job.
   */
  @SuppressWarnings("unchecked")
  public PairDataset<K, V> repartitionAndSortWithinPartitions(Partitioner partitioner,
      KeyComparator<? super K> order) {
    return shuffle(new ShuffleSpec(Kind.SORT, "repartitionAndSortWithinPartitions", partitioner,
        partitioner.numPartitions(), keyEncoder(), valueEncoder(), null, (KeyComparator<Object>) order),
        node.encoder());
  }

  /** {@link #repartitionAndSortWithinPartitions(Partitioner, KeyComparator)} in ascending order. */
  public PairDataset<K, V> repartitionAndSortWithinPartitions(Partitioner partitioner) {
    return repartitionAndSortWithinPartitions(partitioner, KeyOrder.ASCENDING);
  }

  /** Regroups records with a user partitioner; records keep no particular order. */
  public PairDataset<K, V> partitionBy(Partitioner partitioner) {
    if (partitioner.equals(partitioner())) {
      return this;
    }
    return shuffle(ShuffleSpec.partitioning("partitionBy", partitioner, keyEncoder(), valueEncoder()),
        node.encoder());
  }

  // ---- per-record steps that keep keys where they are

  /** Maps each value, keeping its key (and the partitioning). */
  public <W> PairDataset<K, W> mapValues(MapFunction<V, W> fn, Encoder<W> valueEncoder) {
    MapFunction<Pair<K, V>, Pair<K, W>> f = p -> Pair.of(p.key(), fn.apply(p.value()));
    return new PairDataset<>(context, new LogicalNode.Narrow(context.nextId(), node,
        Steps.map("mapValues", f), Encoders.pairs(keyEncoder(), valueEncoder), true));
  }

  /** Maps each value to zero or more values, each paired with the key (keeps the partitioning). */
  public <W> PairDataset<K, W> flatMapValues(FlatMapFunction<V, W> fn, Encoder<W> valueEncoder) {
    return flatMapValues("flatMapValues", fn, valueEncoder);
  }

  public Dataset<K> keys() {
    MapFunction<Pair<K, V>, K> f = Pair::key;
    return new Dataset<>(context, new LogicalNode.Narrow(context.nextId(), node,
        Steps.map("keys", f), keyEncoder(), false));
  }

  public Dataset<V> values() {
    MapFunction<Pair<K, V>, V> f = Pair::value;
    return new Dataset<>(context, new LogicalNode.Narrow(context.nextId(), node,
        Steps.map("values", f), valueEncoder(), false));
  }

  // ---- joins

  /**
   * For each key, the lists of its values in this dataset and in {@code other}, side by side
   * (a key present in one only gets an empty list on the other side).
   */
  public <W> PairDataset<K, Pair<List<V>, List<W>>> cogroup(PairDataset<K, W> other) {
    return cogroup(other, joinPartitioner(other, 0));
  }

  public <W> PairDataset<K, Pair<List<V>, List<W>>> cogroup(PairDataset<K, W> other, int numPartitions) {
    return cogroup(other, joinPartitioner(other, numPartitions));
  }

  @SuppressWarnings("unchecked")
  public <W> PairDataset<K, Pair<List<V>, List<W>>> cogroup(PairDataset<K, W> other, Partitioner partitioner) {
    requireSameContext(other, "cogroup");
    requireGroupableKeys("cogroup");
    if (!other.keyEncoder().equals(keyEncoder())) {
      throw new IllegalArgumentException("cogroup and join need keys of one encoder, got "
          + keyEncoder().describe() + " and " + other.keyEncoder().describe());
    }
    Encoder<List<Object>> lists = Encoders.javaUnchecked(List.class);
    LogicalNode grouped = new LogicalNode.CoGroup(context.nextId(), List.of(node, other.node),
        partitioner, Encoders.pairs(keyEncoder(), lists));
    MapFunction<Pair<K, List<List<Object>>>, Pair<K, Pair<List<V>, List<W>>>> sides =
        p -> Pair.of(p.key(), Pair.of((List<V>) p.value().get(0), (List<W>) p.value().get(1)));
    Encoder<Pair<List<V>, List<W>>> valueEnc = Encoders.pairs(
        Encoders.javaUnchecked(List.class), Encoders.javaUnchecked(List.class));
    return new PairDataset<>(context, new LogicalNode.Narrow(context.nextId(), grouped,
        Steps.map("cogroup", sides), Encoders.pairs(keyEncoder(), valueEnc), true));
  }

  /** Every pair of values of a key found on both sides. */
  public <W> PairDataset<K, Pair<V, W>> join(PairDataset<K, W> other) {
    return join(other, joinPartitioner(other, 0));
  }

  public <W> PairDataset<K, Pair<V, W>> join(PairDataset<K, W> other, int numPartitions) {
    return join(other, joinPartitioner(other, numPartitions));
  }

  public <W> PairDataset<K, Pair<V, W>> join(PairDataset<K, W> other, Partitioner partitioner) {
    return joined(other, partitioner, Join.INNER, Encoders.pairs(valueEncoder(), other.valueEncoder()));
  }

  /** Every value of this side, with each matching value of {@code other} or an empty Optional. */
  public <W> PairDataset<K, Pair<V, Optional<W>>> leftOuterJoin(PairDataset<K, W> other) {
    return leftOuterJoin(other, joinPartitioner(other, 0));
  }

  public <W> PairDataset<K, Pair<V, Optional<W>>> leftOuterJoin(PairDataset<K, W> other, int numPartitions) {
    return leftOuterJoin(other, joinPartitioner(other, numPartitions));
  }

  public <W> PairDataset<K, Pair<V, Optional<W>>> leftOuterJoin(PairDataset<K, W> other, Partitioner partitioner) {
    return joined(other, partitioner, Join.LEFT_OUTER,
        Encoders.pairs(valueEncoder(), Encoders.javaUnchecked(Optional.class)));
  }

  /** Every value of {@code other}, with each matching value of this side or an empty Optional. */
  public <W> PairDataset<K, Pair<Optional<V>, W>> rightOuterJoin(PairDataset<K, W> other) {
    return rightOuterJoin(other, joinPartitioner(other, 0));
  }

  public <W> PairDataset<K, Pair<Optional<V>, W>> rightOuterJoin(PairDataset<K, W> other, int numPartitions) {
    return rightOuterJoin(other, joinPartitioner(other, numPartitions));
  }

  public <W> PairDataset<K, Pair<Optional<V>, W>> rightOuterJoin(PairDataset<K, W> other, Partitioner partitioner) {
    return joined(other, partitioner, Join.RIGHT_OUTER,
        Encoders.pairs(Encoders.javaUnchecked(Optional.class), other.valueEncoder()));
  }

  /** Every key of either side, with each pair of matching values, an absent side as an empty Optional. */
  public <W> PairDataset<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairDataset<K, W> other) {
    return fullOuterJoin(other, joinPartitioner(other, 0));
  }

  public <W> PairDataset<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairDataset<K, W> other, int numPartitions) {
    return fullOuterJoin(other, joinPartitioner(other, numPartitions));
  }

  public <W> PairDataset<K, Pair<Optional<V>, Optional<W>>> fullOuterJoin(PairDataset<K, W> other,
      Partitioner partitioner) {
    return joined(other, partitioner, Join.FULL_OUTER, Encoders.pairs(
        Encoders.<Optional<V>>javaUnchecked(Optional.class), Encoders.<Optional<W>>javaUnchecked(Optional.class)));
  }

  /**
   * A join node: keys on both sides, partitioned by {@code partitioner}. How it runs is the
   * planner's choice ({@code dflow.join.strategy}): the lists of a cogroup paired up, or a
   * sort-merge join of both sides sorted by key, which streams this side and holds the values of
   * one key of {@code other} at a time.
   */
  private <W, J> PairDataset<K, J> joined(PairDataset<K, W> other, Partitioner partitioner, Join join,
      Encoder<J> joinedValues) {
    requireSameContext(other, join.step());
    requireGroupableKeys(join.step());
    if (!other.keyEncoder().equals(keyEncoder())) {
      throw new IllegalArgumentException("cogroup and join need keys of one encoder, got "
          + keyEncoder().describe() + " and " + other.keyEncoder().describe());
    }
    return new PairDataset<>(context, new LogicalNode.CoGroup(context.nextId(), List.of(node, other.node),
        partitioner, Encoders.pairs(keyEncoder(), joinedValues), join));
  }

  // ---- covariant versions of the Dataset steps that keep pairs

  @Override
  public PairDataset<K, V> filter(FilterFunction<Pair<K, V>> fn) {
    return (PairDataset<K, V>) super.filter(fn);
  }

  @Override
  public PairDataset<K, V> union(Dataset<Pair<K, V>> other) {
    return (PairDataset<K, V>) super.union(other);
  }

  @Override
  public PairDataset<K, V> distinct() {
    return same(super.distinct().node);
  }

  @Override
  public PairDataset<K, V> distinct(int numPartitions) {
    return same(super.distinct(numPartitions).node);
  }

  @Override
  public PairDataset<K, V> repartition(int numPartitions) {
    return (PairDataset<K, V>) super.repartition(numPartitions);
  }

  @Override
  public PairDataset<K, V> coalesce(int numPartitions) {
    return (PairDataset<K, V>) super.coalesce(numPartitions);
  }

  @Override
  public PairDataset<K, V> sample(boolean withReplacement, double fraction, long seed) {
    return (PairDataset<K, V>) super.sample(withReplacement, fraction, seed);
  }

  @Override
  public PairDataset<K, V> cache() {
    super.cache();
    return this;
  }

  @Override
  public PairDataset<K, V> persist(StorageLevel level) {
    super.persist(level);
    return this;
  }

  @Override
  public PairDataset<K, V> unpersist() {
    super.unpersist();
    return this;
  }

  // ---- helpers

  @SuppressWarnings("unchecked")
  Encoder<K> keyEncoder() {
    return (Encoder<K>) ((Encoder.PairOf<?, ?>) node.encoder()).key();
  }

  @SuppressWarnings("unchecked")
  Encoder<V> valueEncoder() {
    return (Encoder<V>) ((Encoder.PairOf<?, ?>) node.encoder()).value();
  }

  private <W> PairDataset<K, W> flatMapValues(String name, FlatMapFunction<V, W> fn, Encoder<W> valueEncoder) {
    FlatMapFunction<Pair<K, V>, Pair<K, W>> f = p -> withKey(p.key(), fn.apply(p.value()));
    return new PairDataset<>(context, new LogicalNode.Narrow(context.nextId(), node,
        Steps.flatMap(name, f), Encoders.pairs(keyEncoder(), valueEncoder), true));
  }

  private <C> PairDataset<K, C> aggregate(String name, Aggregator aggregator, Encoder<C> aggregateEncoder,
      Partitioner partitioner) {
    requireGroupableKeys(name);
    ShuffleSpec spec = new ShuffleSpec(Kind.AGGREGATE, name, partitioner, partitioner.numPartitions(),
        keyEncoder(), aggregateEncoder, aggregator, null);
    return shuffle(spec, Encoders.pairs(keyEncoder(), aggregateEncoder));
  }

  private <W> PairDataset<K, W> shuffle(ShuffleSpec spec, Encoder<?> out) {
    return new PairDataset<>(context, new LogicalNode.Shuffle(context.nextId(), node, spec, out));
  }

  /** This dataset's partitioner if it has one, else hash partitioning into the default partitions. */
  private Partitioner defaultPartitioner() {
    Partitioner own = partitioner();
    return own != null ? own : new HashPartitioner(context.shufflePartitions());
  }

  /**
   * With {@code numPartitions > 0}, hash partitioning into that many; else the partitioner of
   * whichever side has one (the larger, if both do), so that side need not move; else hash
   * partitioning into the default partitions.
   */
  private Partitioner joinPartitioner(PairDataset<?, ?> other, int numPartitions) {
    if (numPartitions > 0) {
      return new HashPartitioner(numPartitions);
    }
    Partitioner mine = partitioner();
    Partitioner theirs = other.partitioner();
    if (mine != null && (theirs == null || mine.numPartitions() >= theirs.numPartitions())) {
      return mine;
    }
    return theirs != null ? theirs : new HashPartitioner(context.shufflePartitions());
  }

  private void requireGroupableKeys(String step) {
    Encoder<K> key = keyEncoder();
    if (key instanceof Encoder.Scalar<?> s && s.kind() == Encoder.ScalarKind.BYTES) {
      throw new IllegalArgumentException(step + " cannot group byte[] keys (arrays have identity equality); wrap them in a String or a record");
    }
    StableHash.checkKeyType(key.type());
  }

  /** Each of {@code values} paired with {@code key} (static: a function built here must not capture a dataset). */
  private static <X, Y> Iterator<Pair<X, Y>> withKey(X key, Iterator<Y> values) {
    if (values == null) {
      return Collections.emptyIterator();
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return values.hasNext();
      }

      @Override
      public Pair<X, Y> next() {
        return Pair.of(key, values.next());
      }
    };
  }

  private static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("the zero value must be serialisable: " + e, e);
    }
    return bytes.toByteArray();
  }

  /** A fresh copy of a serialised zero value, so no two keys share a mutable aggregate. */
  @SuppressWarnings("unchecked")
  private static <X> X copy(byte[] bytes) {
    try (ObjectInputStream in = new ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (X) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new UncheckedIOException(new IOException("cannot copy the zero value: " + e, e));
    }
  }

  /** Resolves classes with the thread's context class loader: the job's own, in a task. */
  private static final class ContextObjectInputStream extends ObjectInputStream {
    ContextObjectInputStream(ByteArrayInputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }

  /** Makes the zero value afresh for each key: a mutable zero is copied, an immutable one shared. */
  private interface Zero<X> extends Serializable {
    X make();

    static <X> Zero<X> of(X zero) {
      if (zero == null || zero instanceof String || zero instanceof Number || zero instanceof Boolean
          || zero instanceof Character || zero instanceof Enum<?>) {
        return () -> zero;
      }
      byte[] bytes = serialize(zero);
      return () -> copy(bytes);
    }
  }
}
