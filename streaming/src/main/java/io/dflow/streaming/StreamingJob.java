package io.dflow.streaming;

import io.dflow.api.Broadcast;
import io.dflow.api.Dataset;
import io.dflow.api.DflowJob;
import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.KeyComparator;
import io.dflow.api.KeyOrder;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import io.dflow.api.Partitioner;
import io.dflow.api.function.MapFunction;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.pipe.ChildCommand;
import io.dflow.api.pipe.LineDecoder;
import io.dflow.api.pipe.LineEncoder;
import io.dflow.api.pipe.PipeStep;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A Hadoop Streaming job as a dataset job: the input's raw lines piped through the mapper, its
 * lines cut into key and value, partitioned (by Hadoop's hash of the key's bytes, or by key
 * fields) and sorted by the raw bytes of the key (or by key fields), optionally combined in the
 * map tasks, piped through the reducer (a key's lines together, keys in order) and written as
 * {@code key<TAB>value} part files. Byte for byte the contract Hadoop Streaming keeps.
 */
public final class StreamingJob implements DflowJob {
  private static final Encoder<Pair<byte[], byte[]>> PAIRS = Encoders.pairs(Encoders.bytes(), Encoders.bytes());
  private final StreamingOptions options;

  public StreamingJob(StreamingOptions options) {
    this.options = options;
  }

  @Override
  public void run(JobContext ctx, String[] args) {
    Settings s = new Settings(ctx, options.mapOnly() ? Integer.valueOf(0) : options.numReduceTasks());
    Map<String, String> env = options.childEnvironment();
    List<ShippedFile> shipped = ShippedFile.read(options.files());
    Broadcast<List<ShippedFile>> files = shipped.isEmpty() ? null : ctx.broadcast(shipped);

    Dataset<byte[]> input = null;
    for (String path : options.inputPaths()) {
      Dataset<byte[]> lines = ctx.textFileAsBytes(path);
      input = input == null ? lines : input.union(lines);
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    boolean javaMapper = !options.identityMapper() && HadoopClasses.namesClass(options.mapper());
    if (javaMapper) {
      HadoopClasses.check("mapper", options.mapper(), loader);
    }
    FieldSplit javaInput = options.keyValueInput() ? s.keyValueInput : null;
    Map<String, String> settings = options.defines();
    if (options.mapOnly()) {
      Dataset<byte[]> lines = javaMapper
          ? input.mapPartitions(new JavaMapper<byte[]>(options.mapper(), settings, javaInput, s.outputSeparator),
              Encoders.bytes())
          : mapped(input, s, env, shipped, files).map(new Rejoin(s.mapOutput, s.outputSeparator), Encoders.bytes());
      lines.saveAsTextFile(options.output());
      return;
    }
    PairDataset<byte[], byte[]> pairs = javaMapper
        ? input.mapPartitions(new JavaMapper<Pair<byte[], byte[]>>(options.mapper(), settings, javaInput, null), PAIRS)
            .mapToPair(new AsPair(), Encoders.bytes(), Encoders.bytes())
        : mappedPairs(input, s, env, shipped, files);
    KeyComparator<Object> order = s.comparatorOptions == null ? KeyOrder.ASCENDING
        : new KeyFieldComparator(s.comparatorOptions, s.keyFieldSeparator);
    String combiner = options.combiner() == null && HadoopClasses.AGGREGATE.equalsIgnoreCase(options.reducer())
        ? HadoopClasses.AGGREGATE : options.combiner(); // as in Hadoop: -reducer aggregate brings its combiner
    if (combiner != null) {
      PartitionFunction<Pair<byte[], byte[]>, Pair<byte[], byte[]>> run;
      if (HadoopClasses.namesClass(combiner)) {
        String name = HadoopClasses.className(combiner, true);
        HadoopClasses.check("combiner", name, loader);
        run = new JavaReducer<>("combiner", name, settings, order, null);
      } else {
        run = new ChildCombiner(command("combiner", combiner, env, shipped), new PairLines(s.reduceInputSeparator),
            new ChildLaunch(true, files), s.mapOutput, ctx.maxLineBytes(), ctx.pipeDrainMillis());
      }
      pairs = pairs.mapPartitions(new Combine(run, order, s.combineBufferBytes), PAIRS)
          .mapToPair(new AsPair(), Encoders.bytes(), Encoders.bytes());
    }
    Partitioner partitioner = options.keyFieldPartitioner()
        ? new KeyFieldPartitioner(s.partitionerOptions, s.keyFieldSeparator, s.reduces)
        : new TextHashPartitioner(s.reduces);
    PairDataset<byte[], byte[]> sorted = pairs.repartitionAndSortWithinPartitions(partitioner, order);
    Dataset<byte[]> output;
    if (options.identityReducer()) {
      output = sorted.map(new JoinPair(s.outputSeparator), Encoders.bytes());
    } else if (HadoopClasses.namesClass(options.reducer())) {
      String name = HadoopClasses.className(options.reducer(), false);
      HadoopClasses.check("reducer", name, loader);
      output = sorted.mapPartitions(new JavaReducer<byte[]>("reducer", name, settings, order, s.outputSeparator),
          Encoders.bytes());
    } else {
      ChildCommand reducer = command("reducer", options.reducer(), env, shipped);
      output = sorted.pipe(s.pipe("reducer", reducer, new PairLines(s.reduceInputSeparator),
          new ChildLaunch(false, files), LineDecoder.Plain.BYTES), Encoders.bytes())
          .map(new Rejoin(s.reduceOutput, s.outputSeparator), Encoders.bytes());
    }
    output.saveAsTextFile(options.output());
  }

  /** The input's lines through the mapper command (or as they are, for the identity mapper): map output lines. */
  private Dataset<byte[]> mapped(Dataset<byte[]> input, Settings s, Map<String, String> env, List<ShippedFile> shipped,
      Broadcast<List<ShippedFile>> files) {
    if (options.identityMapper()) {
      return options.keyValueInput() ? input.map(new Encoded(mapperInput(s)), Encoders.bytes()) : input;
    }
    return input.pipe(mapperStep(s, env, shipped, files, LineDecoder.Plain.BYTES), Encoders.bytes());
  }

  /** The map output lines cut into key and value: the mapper's cut as they are read, the identity mapper's lines after. */
  private PairDataset<byte[], byte[]> mappedPairs(Dataset<byte[]> input, Settings s, Map<String, String> env,
      List<ShippedFile> shipped, Broadcast<List<ShippedFile>> files) {
    if (options.identityMapper()) {
      return mapped(input, s, env, shipped, files)
          .mapToPair(new SplitLine(s.mapOutput), Encoders.bytes(), Encoders.bytes());
    }
    return input.pipe(mapperStep(s, env, shipped, files, s.mapOutput.pairs()), PAIRS)
        .mapToPair(new AsPair(), Encoders.bytes(), Encoders.bytes());
  }

  private PipeStep mapperStep(Settings s, Map<String, String> env, List<ShippedFile> shipped,
      Broadcast<List<ShippedFile>> files, LineDecoder output) {
    ChildCommand mapper = command("mapper", options.mapper(), env, shipped);
    return s.pipe("mapper", mapper, mapperInput(s), new ChildLaunch(true, files), output);
  }

  private LineEncoder mapperInput(Settings s) {
    return options.keyValueInput() ? new KeyValueInputLines(s.keyValueInput, s.mapInputSeparator) : LineEncoder.TEXT;
  }

  private static ChildCommand command(String role, String text, Map<String, String> env, List<ShippedFile> shipped) {
    ChildCommand command;
    try {
      command = ChildCommand.parse(role, text, env);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("-" + role + ": " + e.getMessage());
    }
    ProgramCheck.check(command, shipped);
    return command;
  }

  /** The job's settings, read once on the driver from its configuration ({@code -D} included). */
  private static final class Settings {
    final byte[] mapInputSeparator;
    final FieldSplit keyValueInput;
    final FieldSplit mapOutput;
    final byte[] reduceInputSeparator;
    final FieldSplit reduceOutput;
    final byte[] outputSeparator;
    final byte[] keyFieldSeparator;
    final String partitionerOptions;
    final String comparatorOptions;
    final int reduces;
    final long combineBufferBytes;
    private final JobContext ctx;

    /** @param numReduceTasks as the command line says (0 for a map-only job), or null for the settings' */
    Settings(JobContext ctx, Integer numReduceTasks) {
      this.ctx = ctx;
      mapInputSeparator = bytes("stream.map.input.field.separator", "\t");
      keyValueInput = new FieldSplit(bytes("mapreduce.input.keyvaluelinerecordreader.key.value.separator", "\t"), 1);
      mapOutput = new FieldSplit(bytes("stream.map.output.field.separator", "\t"),
          number("stream.num.map.output.key.fields", 1));
      reduceInputSeparator = bytes("stream.reduce.input.field.separator", "\t");
      reduceOutput = new FieldSplit(bytes("stream.reduce.output.field.separator", "\t"),
          number("stream.num.reduce.output.key.fields", 1));
      outputSeparator = bytes("mapreduce.output.textoutputformat.separator",
          ctx.conf("mapred.textoutputformat.separator", "\t"));
      keyFieldSeparator = bytes("mapreduce.map.output.key.field.separator",
          ctx.conf("map.output.key.field.separator", "\t"));
      String forPartition = ctx.conf().get("num.key.fields.for.partition");
      partitionerOptions = ctx.conf("mapreduce.partition.keypartitioner.options",
          forPartition == null ? "" : "-k1," + forPartition);
      comparatorOptions = ctx.conf().get("mapreduce.partition.keycomparator.options");
      reduces = numReduceTasks != null ? numReduceTasks
          : number("mapreduce.job.reduces", number("dflow.shuffle.partitions", ctx.defaultParallelism()));
      combineBufferBytes = number("dflow.streaming.combineBufferBytes", 64 << 20);
    }

    PipeStep pipe(String role, ChildCommand command, LineEncoder encoder, ChildLaunch launch, LineDecoder output) {
      return new PipeStep(role, command, encoder, launch, output, ctx.maxLineBytes(), ctx.pipeDrainMillis());
    }

    private byte[] bytes(String key, String fallback) {
      String value = ctx.conf(key, fallback);
      if (value.isEmpty()) {
        throw new IllegalArgumentException("-D " + key + " must not be empty");
      }
      return value.getBytes(StandardCharsets.UTF_8);
    }

    private int number(String key, int fallback) {
      String value = ctx.conf().get(key);
      if (value == null) {
        return fallback;
      }
      try {
        int n = Integer.parseInt(value.trim());
        if (n < 1) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("-D " + key + " must be a positive whole number, got '" + value + "'");
      }
    }
  }

  /** A pair as the pair it is (a dataset of pairs into a pair dataset). */
  private record AsPair() implements MapFunction<Pair<byte[], byte[]>, Pair<byte[], byte[]>> {
    @Override
    public Pair<byte[], byte[]> apply(Pair<byte[], byte[]> pair) {
      return pair;
    }
  }

  /** A line cut into its key and value. */
  private record SplitLine(FieldSplit split) implements MapFunction<byte[], Pair<byte[], byte[]>> {
    @Override
    public Pair<byte[], byte[]> apply(byte[] line) {
      return split.split(line);
    }
  }

  /** A line as the text output writes the key and value it is cut into. */
  private record Rejoin(FieldSplit split, byte[] separator) implements MapFunction<byte[], byte[]> {
    @Override
    public byte[] apply(byte[] line) {
      return split.rejoin(line, separator);
    }
  }

  /** A pair as one output line. */
  private record JoinPair(byte[] separator) implements MapFunction<Pair<byte[], byte[]>, byte[]> {
    @Override
    public byte[] apply(Pair<byte[], byte[]> pair) {
      return FieldSplit.concat(pair.key(), separator, pair.value());
    }
  }

  /** A record as the line an encoder writes for it. */
  private record Encoded(LineEncoder encoder) implements MapFunction<byte[], byte[]> {
    @Override
    public byte[] apply(byte[] line) throws Exception {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(line.length + 1);
      encoder.write(line, out);
      return out.toByteArray();
    }
  }
}
