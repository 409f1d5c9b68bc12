package io.dflow.api;

import io.dflow.api.io.Columns;
import io.dflow.api.io.CsvOptions;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.FileFormat;
import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.LogicalNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a job builds its datasets from (text, CSV, SequenceFile, Arrow and Parquet files, in-memory collections) and the
 * application-wide helpers its functions use (broadcast values, counters). Given to a job's
 * {@link DflowJob#run} by the driver; actions on its datasets run on the driver's cluster.
 *
 * <p>Threading: build datasets and run actions from one thread (the job's); counters and
 * broadcasts may be used from any task.
 */
public final class JobContext {
  /** Default upper bound on the bytes {@code collect()} brings to the driver. */
  public static final long DEFAULT_COLLECT_MAX_BYTES = 64L << 20;

  private final JobRunner runner;
  private final Map<String, String> conf;
  private final int defaultParallelism;
  private final AtomicInteger nextId = new AtomicInteger();

  public JobContext(JobRunner runner, Map<String, String> conf, int defaultParallelism) {
    this.runner = runner;
    this.conf = Map.copyOf(conf);
    this.defaultParallelism = defaultParallelism;
  }

  /** Lines of a text file, of every file in a folder (names starting with _ or . skipped), or of a glob. */
  public Dataset<String> textFile(String path) {
    return new Dataset<>(this, new LogicalNode.FileSource(nextId(), path, new FileFormat.Text(false), Encoders.strings()));
  }

  /**
   * Lines of text files as their bytes, undecoded (terminators stripped as by
   * {@link #textFile}): for work that must pass bytes through unchanged, whatever their encoding.
   */
  public Dataset<byte[]> textFileAsBytes(String path) {
    return new Dataset<>(this, new LogicalNode.FileSource(nextId(), path, new FileFormat.Text(true), Encoders.bytes()));
  }

  /** The rows of CSV (or, by {@code options}, TSV) files, each row its fields. */
  public Dataset<String[]> csvFile(String path, CsvOptions options) {
    return new Dataset<>(this, new LogicalNode.FileSource(nextId(), path, new FileFormat.Csv(options, List.of()),
        Encoders.javaUnchecked(String[].class)));
  }

  /**
   * The key/value pairs of Hadoop SequenceFiles: the files' Writable classes must be those of
   * the encoders ({@code Text} for strings, {@code LongWritable}, {@code IntWritable},
   * {@code DoubleWritable}, {@code BooleanWritable}, {@code BytesWritable} for byte arrays).
   */
  public <K, V> PairDataset<K, V> sequenceFile(String path, Encoder<K> key, Encoder<V> value) {
    Encoder<Pair<K, V>> pair = Encoders.pairs(key, value);
    Columns.requireScalars("sequenceFile", pair);
    return new PairDataset<>(this, new LogicalNode.FileSource(nextId(), path, new FileFormat.Sequence(), pair));
  }

  /**
   * The rows of Arrow IPC files as records of {@code encoder} (a scalar, or a pair of scalars):
   * the file columns named in {@code columns} bind to the record's fields in order (a pair's key,
   * then its value); with none named, the file's columns bind by position.
   */
  public <T> Dataset<T> arrowFile(String path, Encoder<T> encoder, String... columns) {
    Columns.requireColumns("arrowFile", encoder, columns);
    return new Dataset<>(this, new LogicalNode.FileSource(nextId(), path, new FileFormat.Arrow(List.of(columns)), encoder));
  }

  /** Like {@link #arrowFile(String, Encoder, String...)}, as pairs: the first column the key, the second the value. */
  public <K, V> PairDataset<K, V> arrowFile(String path, Encoder<K> key, Encoder<V> value, String... columns) {
    Encoder<Pair<K, V>> pair = Encoders.pairs(key, value);
    Columns.requireColumns("arrowFile", pair, columns);
    return new PairDataset<>(this, new LogicalNode.FileSource(nextId(), path, new FileFormat.Arrow(List.of(columns)), pair));
  }

  /**
   * The rows of Parquet files as records of {@code encoder} (a scalar, or a pair of scalars):
   * the columns named in {@code columns} bind to the record's fields in order and are the only
   * ones read; with none named, the file's columns bind by position.
   */
  public <T> Dataset<T> parquetFile(String path, Encoder<T> encoder, String... columns) {
    Columns.requireColumns("parquetFile", encoder, columns);
    return new Dataset<>(this, new LogicalNode.FileSource(nextId(), path, new FileFormat.Parquet(List.of(columns)),
        encoder));
  }

  /** Like {@link #parquetFile(String, Encoder, String...)}, as pairs: the first column the key, the second the value. */
  public <K, V> PairDataset<K, V> parquetFile(String path, Encoder<K> key, Encoder<V> value, String... columns) {
    Encoder<Pair<K, V>> pair = Encoders.pairs(key, value);
    Columns.requireColumns("parquetFile", pair, columns);
    return new PairDataset<>(this, new LogicalNode.FileSource(nextId(), path, new FileFormat.Parquet(List.of(columns)),
        pair));
  }

  /** An in-memory collection, sliced into a few tasks per executor slot. */
  public <T> Dataset<T> parallelize(List<T> data, Encoder<T> encoder) {
    return parallelize(data, encoder, 0);
  }

  /** An in-memory collection in {@code slices} tasks. */
  public <T> Dataset<T> parallelize(List<T> data, Encoder<T> encoder, int slices) {
    if (slices < 0) {
      throw new IllegalArgumentException("slices must not be negative, got " + slices);
    }
    List<T> copy = new ArrayList<>(data);
    for (T item : copy) {
      if (item != null && !(item instanceof Serializable)) {
        throw new IllegalArgumentException("parallelize needs serialisable elements, got " + item.getClass().getName());
      }
    }
    return new Dataset<>(this, new LogicalNode.CollectionSource(nextId(), copy, slices, encoder));
  }

  /**
   * Ships {@code value} to each executor once for the whole application (not once per task):
   * capture the returned handle in functions and call {@link Broadcast#value()} there. The value
   * is serialised now; it must be serialisable and at most {@code dflow.broadcast.maxBytes}.
   */
  public <T> Broadcast<T> broadcast(T value) {
    if (value == null) {
      throw new IllegalArgumentException("cannot broadcast null");
    }
    return new Broadcast<>(runner.broadcast(value), value, runner);
  }

  /** The counter named {@code name}, made on first use; every call with a name gives the same sum. */
  public LongCounter counter(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a counter needs a name");
    }
    return new LongCounter(name, runner);
  }

  /** The job's configuration (conf/dflow-defaults.properties, overridden by --conf). */
  public Map<String, String> conf() {
    return conf;
  }

  public String conf(String key, String fallback) {
    return conf.getOrDefault(key, fallback);
  }

  /** The total number of task slots: the default number of reduce partitions. */
  public int defaultParallelism() {
    return defaultParallelism;
  }

  int nextId() {
    return nextId.getAndIncrement();
  }

  Object run(LogicalNode node, Action action) {
    return runner.run(node, action);
  }

  String explain(LogicalNode node, Action action) {
    return runner.explain(node, action);
  }

  void persist(LogicalNode node, StorageLevel level) {
    runner.persist(node, level);
  }

  void unpersist(LogicalNode node) {
    runner.unpersist(node);
  }

  long collectMaxBytes() {
    return collectMaxBytes(conf);
  }

  /** The bound {@code collect()} uses under {@code conf}: {@code dflow.collect.maxBytes} or the default. */
  public static long collectMaxBytes(Map<String, String> conf) {
    String v = conf.get("dflow.collect.maxBytes");
    return v == null ? DEFAULT_COLLECT_MAX_BYTES : Long.parseLong(v.trim());
  }

  /** The longest line a job reads or a child process writes: {@code dflow.input.maxLineBytes}. */
  public long maxLineBytes() {
    return Long.parseLong(conf.getOrDefault("dflow.input.maxLineBytes", String.valueOf(64 << 20)).trim());
  }

  /** How long a child's output pumps may run on after it exits: {@code dflow.pipe.drainMillis}. */
  public long pipeDrainMillis() {
    return Long.parseLong(conf.getOrDefault("dflow.pipe.drainMillis", "10000").trim());
  }

  int shufflePartitions() {
    String v = conf.get("dflow.shuffle.partitions");
    return v == null ? defaultParallelism : Integer.parseInt(v.trim());
  }
}
