package io.dflow.api;

import io.dflow.api.function.FilterFunction;
import io.dflow.api.function.FlatMapFunction;
import io.dflow.api.function.Function2;
import io.dflow.api.function.MapFunction;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.function.ReduceFunction;
import io.dflow.api.function.VoidFunction;
import io.dflow.api.mpi.MpiFunction;
import io.dflow.api.mpi.MpiStep;
import io.dflow.api.pipe.ChildCommand;
import io.dflow.api.pipe.LineDecoder;
import io.dflow.api.pipe.LineEncoder;
import io.dflow.api.pipe.PipeStep;
import io.dflow.api.io.BatchFunction;
import io.dflow.api.io.Columns;
import io.dflow.api.io.CsvOptions;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.BatchStep;
import io.dflow.api.plan.FileFormat;
import io.dflow.api.plan.LogicalNode;
import io.dflow.api.plan.Step;
import io.dflow.api.plan.Steps;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * A typed, partitioned collection of records, built lazily: steps add nodes to a logical plan,
 * and an action ({@link #count}, {@link #collect}, {@link #saveAsTextFile}, ...) runs it as one
 * job. A dataset used by several steps or jobs is one node of the plan; {@link #cache()} keeps
 * its partitions on the executors so later jobs do not compute it again.
 */
public class Dataset<T> {
  final JobContext context;
  final LogicalNode node;

  Dataset(JobContext context, LogicalNode node) {
    this.context = context;
    this.node = node;
  }

  /** A dataset of the same kind as this one over {@code newNode} (a PairDataset stays one). */
  Dataset<T> same(LogicalNode newNode) {
    return new Dataset<>(context, newNode);
  }

  public <R> Dataset<R> map(MapFunction<T, R> fn, Encoder<R> encoder) {
    return narrow(Steps.map(fn), encoder);
  }

  public <R> Dataset<R> flatMap(FlatMapFunction<T, R> fn, Encoder<R> encoder) {
    return narrow(Steps.flatMap(fn), encoder);
  }

  /** The records for which {@code fn} is true; keeps the partitioning. */
  public Dataset<T> filter(FilterFunction<T> fn) {
    return same(new LogicalNode.Narrow(context.nextId(), node, Steps.filter(fn), node.encoder(), true));
  }

  public <R> Dataset<R> mapPartitions(PartitionFunction<T, R> fn, Encoder<R> encoder) {
    return narrow(Steps.mapPartitions(fn), encoder);
  }

  /** Like {@link #mapPartitions}, also given the partition's index. */
  public <R> Dataset<R> mapPartitionsWithIndex(Function2<Integer, Iterator<T>, Iterator<R>> fn,
      Encoder<R> encoder) {
    return narrow(Steps.mapPartitionsWithIndex("mapPartitionsWithIndex", fn), encoder);
  }

  /**
   * Pipes each partition through {@code command}, as Spark's {@code pipe} does: one child process
   * per partition gets the records on stdin, one line each (strings as UTF-8, pairs as
   * {@code key<TAB>value}), and its stdout lines are the records of the result. The command is
   * split into words as a shell would split them, and run without a shell. A child that fails
   * fails the task with its exit code and the end of its stderr.
   */
  public Dataset<String> pipe(String command) {
    return pipe(ChildCommand.parse("pipe", command, Map.of()));
  }

  /** Like {@link #pipe(String)}, with the command's words given and variables added to its environment. */
  public Dataset<String> pipe(List<String> command, Map<String, String> env) {
    return pipe(new ChildCommand("pipe", String.join(" ", command), command, env));
  }

  private Dataset<String> pipe(ChildCommand command) {
    return pipe(new PipeStep("pipe", command, LineEncoder.TEXT, PipeStep.Launch.AS_IS, LineDecoder.Plain.UTF8,
        context.maxLineBytes(), context.pipeDrainMillis()), Encoders.strings());
  }

  /**
   * Pipes each partition through a child process set up by {@code step}: its output lines become
   * records as the step's {@link LineDecoder} makes them (whose encoder {@code encoder} must be).
   */
  public <R> Dataset<R> pipe(PipeStep step, Encoder<R> encoder) {
    if (!encoder.equals(step.decoder().encoder())) {
      throw new IllegalArgumentException("a pipe step decoding its output with " + step.decoder()
          + " needs the encoder " + step.decoder().encoder() + ", got " + encoder);
    }
    return narrow(step, encoder);
  }

  /**
   * Runs {@code fn} as a gang of {@code ranks} MPI ranks that all run at once: rank {@code i}
   * gets partition {@code i} of this dataset (repartitioned to {@code ranks} partitions unless it
   * is known to have that many), and the records it returns are partition {@code i} of the
   * result. The ranks are launched together by Open MPI's {@code mpirun}; if any fails, all are
   * stopped and the gang is retried as one ({@code dflow.mpi.maxAttempts}).
   */
  public <R> Dataset<R> mpi(int ranks, MpiFunction<T, R> fn, Encoder<R> encoder) {
    MpiStep step = new MpiStep(ranks, fn);
    Dataset<T> input = knownPartitions(node) == ranks ? this : repartition(ranks);
    return new Dataset<>(context, new LogicalNode.Narrow(context.nextId(), input.node, step, encoder, false));
  }

  /** How many partitions {@code n} has when that is known before planning, else -1. */
  private static int knownPartitions(LogicalNode n) {
    if (n instanceof LogicalNode.CollectionSource c) {
      return c.slices() > 0 ? c.slices() : -1;
    }
    if (n instanceof LogicalNode.Narrow narrow) {
      return knownPartitions(narrow.parent());
    }
    Partitioner p = n.partitioner();
    return p == null ? -1 : p.numPartitions();
  }

  /** Turns each record into a key/value pair, opening the wide steps of {@link PairDataset}. */
  public <K, V> PairDataset<K, V> mapToPair(
      MapFunction<T, Pair<K, V>> fn, Encoder<K> keyEncoder, Encoder<V> valueEncoder) {
    Encoder<Pair<K, V>> enc = Encoders.pairs(keyEncoder, valueEncoder);
    return new PairDataset<>(context,
        new LogicalNode.Narrow(context.nextId(), node, Steps.map("mapToPair", fn), enc, false));
  }

  /** Turns each record into zero or more key/value pairs. */
  public <K, V> PairDataset<K, V> flatMapToPair(
      FlatMapFunction<T, Pair<K, V>> fn, Encoder<K> keyEncoder, Encoder<V> valueEncoder) {
    return new PairDataset<>(context, new LogicalNode.Narrow(context.nextId(), node,
        Steps.flatMap("flatMapToPair", fn), Encoders.pairs(keyEncoder, valueEncoder), false));
  }

  /** Pairs each record with the key {@code fn} gives it. */
  public <K> PairDataset<K, T> keyBy(MapFunction<T, K> fn, Encoder<K> keyEncoder) {
    MapFunction<T, Pair<K, T>> keyed = record -> Pair.of(fn.apply(record), record);
    return new PairDataset<>(context, new LogicalNode.Narrow(context.nextId(), node,
        Steps.map("keyBy", keyed), Encoders.pairs(keyEncoder, encoder()), false));
  }

  /** The records of this dataset and then {@code other}'s, as their partitions side by side: no data moves. */
  public Dataset<T> union(Dataset<T> other) {
    requireSameContext(other, "union");
    if (!other.node.encoder().equals(node.encoder())) {
      throw new IllegalArgumentException("union needs datasets of one encoder, got "
          + node.encoder().describe() + " and " + other.node.encoder().describe());
    }
    return same(new LogicalNode.Union(context.nextId(), List.of(node, other.node), node.encoder()));
  }

  /** Each distinct record once, in the default number of partitions. */
  public Dataset<T> distinct() {
    return distinct(context.shufflePartitions());
  }

  public Dataset<T> distinct(int numPartitions) {
    StableHash.checkKeyType(encoder().type());
    return mapToPair(x -> Pair.of(x, Boolean.TRUE), encoder(), Encoders.booleans())
        .reduceByKey((a, b) -> a, numPartitions)
        .keys();
  }

  /**
   * Exactly {@code numPartitions} partitions of about equal size, by a shuffle that deals each
   * partition's records out in turn, starting at a place fixed by the partition's index (so a
   * retried task deals them out the same way).
   */
  public Dataset<T> repartition(int numPartitions) {
    if (numPartitions < 1) {
      throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
    }
    Function2<Integer, Iterator<T>, Iterator<Pair<Integer, T>>> deal =
        (index, records) -> dealOut(index, records, numPartitions);
    Encoder<Pair<Integer, T>> dealt = Encoders.pairs(Encoders.ints(), encoder());
    PairDataset<Integer, T> keyed = new PairDataset<>(context, new LogicalNode.Narrow(
        context.nextId(), node, Steps.mapPartitionsWithIndex("repartition", deal), dealt, false));
    return same(keyed.partitionBy(new HashPartitioner(numPartitions)).values().node);
  }

  /**
   * At most {@code numPartitions} partitions, each the concatenation of neighbouring partitions
   * of this dataset: no shuffle (use {@link #repartition} to spread records evenly).
   */
  public Dataset<T> coalesce(int numPartitions) {
    if (numPartitions < 1) {
      throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
    }
    return same(new LogicalNode.Coalesce(context.nextId(), node, numPartitions, node.encoder()));
  }

  /**
   * A random sample: each record kept with probability {@code fraction} (without replacement),
   * or kept a Poisson({@code fraction}) number of times (with replacement). The same seed gives
   * the same sample.
   */
  public Dataset<T> sample(boolean withReplacement, double fraction, long seed) {
    if (!(fraction >= 0) || (!withReplacement && fraction > 1)) {
      throw new IllegalArgumentException("sample fraction must be in [0, 1] without replacement"
          + " and at least 0 with it, got " + fraction);
    }
    Function2<Integer, Iterator<T>, Iterator<T>> pick = (index, records) ->
        Sampler.sample(records, withReplacement, fraction, seed ^ (index * 0x9E3779B97F4A7C15L));
    return same(new LogicalNode.Narrow(context.nextId(), node,
        Steps.mapPartitionsWithIndex("sample", pick), node.encoder(), true));
  }

  /** Keeps this dataset's partitions in executor memory once computed: {@code persist(MEMORY)}. */
  public Dataset<T> cache() {
    return persist(StorageLevel.MEMORY);
  }

  /**
   * Keeps this dataset's partitions on the executors that compute them, at {@code level}, so
   * later jobs read them instead of computing them again. A partition that was evicted or lost
   * is recomputed from its lineage.
   */
  public Dataset<T> persist(StorageLevel level) {
    context.persist(node, level);
    return this;
  }

  /** Drops the kept partitions everywhere. */
  public Dataset<T> unpersist() {
    context.unpersist(node);
    return this;
  }

  /** Writes one text file per partition under {@code path}: a pair as {@code key<TAB>value}, anything else as its string. */
  public void saveAsTextFile(String path) {
    save(path, new FileFormat.Text(false));
  }

  /**
   * Writes one CSV (or TSV) file per partition under {@code path}: a {@code String[]} or a
   * {@code List} is a row of its fields, a pair its key's fields then its value's, anything else
   * one field; null an empty field. Fields holding the separator, the quote or a line break are
   * quoted. The {@code header} names, when given, make the first line of every part file.
   */
  public void saveAsCsvFile(String path, CsvOptions options, String... header) {
    save(path, new FileFormat.Csv(options, java.util.List.of(header)));
  }

  /** Writes one Arrow IPC file per partition under {@code path}, with the columns {@link Columns} names. */
  public void saveAsArrowFile(String path) {
    Columns.requireScalars("saveAsArrowFile", node.encoder());
    save(path, new FileFormat.Arrow(java.util.List.of()));
  }

  /** Writes one Parquet file per partition under {@code path}, with the columns {@link Columns} names. */
  public void saveAsParquetFile(String path) {
    Columns.requireScalars("saveAsParquetFile", node.encoder());
    save(path, new FileFormat.Parquet(java.util.List.of()));
  }

  void save(String path, FileFormat format) {
    context.run(node, new Action.Save(path, format, node.encoder()));
  }

  /**
   * Applies {@code fn} to each Arrow record batch of every partition, without an object per
   * record: a partition read from an Arrow or Parquet file gives its batches as read; any other
   * is packed into batches by this dataset's encoder. See {@link BatchFunction} for how long a
   * batch stays valid.
   */
  public <R> Dataset<R> mapBatches(BatchFunction<R> fn, Encoder<R> encoder) {
    return narrow(new BatchStep(fn, node.encoder()), encoder);
  }

  public long count() {
    return (Long) context.run(node, new Action.Count());
  }

  /** All records, in partition order; fails if they pass {@code dflow.collect.maxBytes}. */
  @SuppressWarnings("unchecked")
  public List<T> collect() {
    return (List<T>) context.run(node, new Action.Collect(context.collectMaxBytes()));
  }

  /** The first {@code n} records in partition order, computing only as many partitions as needed. */
  @SuppressWarnings("unchecked")
  public List<T> take(int n) {
    return (List<T>) context.run(node, new Action.Take(n, context.collectMaxBytes()));
  }

  /** The first record; throws {@link NoSuchElementException} on an empty dataset. */
  public T first() {
    List<T> one = take(1);
    if (one.isEmpty()) {
      throw new NoSuchElementException("first() of an empty dataset");
    }
    return one.get(0);
  }

  /**
   * All records merged with {@code fn}, which must be associative and commutative; throws
   * {@link NoSuchElementException} on an empty dataset.
   */
  @SuppressWarnings("unchecked")
  public T reduce(ReduceFunction<T> fn) {
    Optional<T> result = (Optional<T>) context.run(node,
        new Action.Reduce((ReduceFunction<Object>) (ReduceFunction<?>) fn));
    if (!result.isPresent()) {
      throw new NoSuchElementException("reduce() of an empty dataset");
    }
    return result.get();
  }

  /** All records merged with {@code fn}, starting from {@code zero} in each partition and once more on the driver. */
  @SuppressWarnings("unchecked")
  public T fold(T zero, ReduceFunction<T> fn) {
    return (T) context.run(node, new Action.Fold(zero, (ReduceFunction<Object>) (ReduceFunction<?>) fn));
  }

  /** Calls {@code fn} on every record, on the executors (its output goes to their logs). */
  @SuppressWarnings("unchecked")
  public void foreach(VoidFunction<T> fn) {
    context.run(node, new Action.Foreach((VoidFunction<Object>) (VoidFunction<?>) fn));
  }

  /** How many times each distinct record occurs. */
  public Map<T, Long> countByValue() {
    return mapToPair(x -> Pair.of(x, 1L), encoder(), Encoders.longs()).countByKey();
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

  /**
   * Pairs each record with the next partition in turn, from a start fixed by the partition's
   * index (static: a function built here must not capture a dataset).
   */
  private static <X> Iterator<Pair<Integer, X>> dealOut(int index, Iterator<X> records, int partitions) {
    int[] position = {new Random(index * 0x9E3779B9L).nextInt(partitions)};
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public Pair<Integer, X> next() {
        position[0] = position[0] + 1 == partitions ? 0 : position[0] + 1;
        return Pair.of(position[0], records.next());
      }
    };
  }

  void requireSameContext(Dataset<?> other, String step) {
    if (other.context != context) {
      throw new IllegalArgumentException(step + " needs datasets of the same JobContext");
    }
  }

  private <R> Dataset<R> narrow(Step step, Encoder<R> encoder) {
    return new Dataset<>(context, new LogicalNode.Narrow(context.nextId(), node, step, encoder, false));
  }
}
