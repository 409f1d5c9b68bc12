package io.dflow.bench.shuffle;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Partitioner;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.NullOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.apache.hadoop.util.VersionInfo;

/**
 * The shuffle jobs of {@code bench/shuffle.sh} on Hadoop MapReduce's LocalJobRunner (2 map and 2
 * reduce threads, the local file system): {@code MRShuffle reduce|group|sort <records>
 * <partitions>} or {@code MRShuffle bigsort <records> <partitions> <out>}. The input format
 * generates the records with {@link ShuffleRecords}, one split per generator partition; there are
 * no input files.
 *
 * <ul>
 *   <li>{@code reduce}: key-value records summed per key, with the same sum as combiner; count =
 *       reduce output records;
 *   <li>{@code group}: the same records, every value of a key gathered into one array by the
 *       reducer (no combiner); count = reduce output records, one per group;
 *   <li>{@code sort}: payload records (90-byte values) in a total order over the reducers, by a
 *       range partitioner on the key's top bits (exact for uniformly random keys: what a sampled
 *       total-order partitioner would give); output discarded; count = reduce output records;
 *   <li>{@code bigsort}: the same with 100-byte values, written as {@code key<TAB>value} text
 *       lines to {@code <out>} (part-r-00000 holds the smallest keys).
 * </ul>
 *
 * <p>Prints one line on stdout: {@code RESULT system=hadoop-mr-<version> job=<job> records=<n>
 * partitions=<p> count=<count> startup_s=<s> job_s=<s>}. Scratch space: {@code
 * -Dshuffle.tmp=<dir>} (Hadoop's {@code hadoop.tmp.dir}).
 */
public final class MRShuffle {
  private static final String RECORDS = "shuffle.records";
  private static final String PARTITIONS = "shuffle.partitions";
  private static final String VALUE_BYTES = "shuffle.valueBytes";

  private MRShuffle() {}

  /** One generator partition: its index and record count. */
  public static final class GenSplit extends InputSplit implements Writable {
    int partition;
    long records;

    public GenSplit() {}

    GenSplit(int partition, long records) {
      this.partition = partition;
      this.records = records;
    }

    @Override
    public long getLength() {
      return records;
    }

    @Override
    public String[] getLocations() {
      return new String[0];
    }

    @Override
    public void write(DataOutput out) throws IOException {
      out.writeInt(partition);
      out.writeLong(records);
    }

    @Override
    public void readFields(DataInput in) throws IOException {
      partition = in.readInt();
      records = in.readLong();
    }
  }

  /** An input format with one {@link GenSplit} per generator partition and no files. */
  abstract static class GenFormat<V> extends InputFormat<LongWritable, V> {
    @Override
    public List<InputSplit> getSplits(JobContext ctx) {
      long records = ctx.getConfiguration().getLong(RECORDS, 0);
      int partitions = ctx.getConfiguration().getInt(PARTITIONS, 8);
      List<InputSplit> splits = new ArrayList<>(partitions);
      for (int p = 0; p < partitions; p++) {
        splits.add(new GenSplit(p, ShuffleRecords.recordsOf(records, partitions, p)));
      }
      return splits;
    }
  }

  /** A record reader over one generator partition; subclasses draw the records. */
  abstract static class GenReader<V> extends RecordReader<LongWritable, V> {
    final LongWritable key = new LongWritable();
    ShuffleRecords gen;

    @Override
    public void initialize(InputSplit split, TaskAttemptContext ctx) {
      long records = ctx.getConfiguration().getLong(RECORDS, 0);
      int partitions = ctx.getConfiguration().getInt(PARTITIONS, 8);
      gen = open(records, partitions, ((GenSplit) split).partition);
    }

    abstract ShuffleRecords open(long records, int partitions, int partition);

    @Override
    public LongWritable getCurrentKey() {
      return key;
    }

    @Override
    public float getProgress() {
      return gen.count() == 0 ? 1f : 1f - (float) gen.remaining() / gen.count();
    }

    @Override
    public void close() {}
  }

  /** Key-value records: (key in [0, KEYS), long value). */
  public static final class KeyValueFormat extends GenFormat<LongWritable> {
    @Override
    public RecordReader<LongWritable, LongWritable> createRecordReader(InputSplit split, TaskAttemptContext ctx) {
      return new GenReader<>() {
        final LongWritable value = new LongWritable();

        @Override
        ShuffleRecords open(long records, int partitions, int partition) {
          return ShuffleRecords.keyValues(records, partitions, partition);
        }

        @Override
        public boolean nextKeyValue() {
          if (!gen.hasNext()) {
            return false;
          }
          gen.nextKeyValue();
          key.set(gen.key());
          value.set(gen.value());
          return true;
        }

        @Override
        public LongWritable getCurrentValue() {
          return value;
        }
      };
    }
  }

  /** Payload records: (random long key, value of {@code shuffle.valueBytes} letters). */
  public static final class PayloadFormat extends GenFormat<BytesWritable> {
    @Override
    public RecordReader<LongWritable, BytesWritable> createRecordReader(InputSplit split, TaskAttemptContext ctx) {
      int valueBytes = ctx.getConfiguration().getInt(VALUE_BYTES, ShuffleRecords.SORT_VALUE_BYTES);
      return new GenReader<>() {
        final byte[] bytes = new byte[valueBytes];
        final BytesWritable value = new BytesWritable(bytes);

        @Override
        ShuffleRecords open(long records, int partitions, int partition) {
          return ShuffleRecords.payloads(records, partitions, partition);
        }

        @Override
        public boolean nextKeyValue() {
          if (!gen.hasNext()) {
            return false;
          }
          key.set(gen.nextPayload(bytes));
          return true;
        }

        @Override
        public BytesWritable getCurrentValue() {
          return value;
        }
      };
    }
  }

  /** Sums the values of a key: the combiner and the reducer of {@code reduce}. */
  public static final class SumReducer extends Reducer<LongWritable, LongWritable, LongWritable, LongWritable> {
    private final LongWritable sum = new LongWritable();

    @Override
    protected void reduce(LongWritable key, Iterable<LongWritable> values, Context ctx)
        throws IOException, InterruptedException {
      long s = 0;
      for (LongWritable v : values) {
        s += v.get();
      }
      sum.set(s);
      ctx.write(key, sum);
    }
  }

  /** Gathers all values of a key into one array (what groupByKey hands a user) and writes the key. */
  public static final class GroupReducer extends Reducer<LongWritable, LongWritable, LongWritable, NullWritable> {
    private long[] group = new long[16];

    @Override
    protected void reduce(LongWritable key, Iterable<LongWritable> values, Context ctx)
        throws IOException, InterruptedException {
      int n = 0;
      for (LongWritable v : values) {
        if (n == group.length) {
          group = Arrays.copyOf(group, 2 * n);
        }
        group[n++] = v.get();
      }
      ctx.write(key, NullWritable.get());
    }
  }

  /** Writes each value of a key as a {@code key<TAB>value} text line (the big sort's output). */
  public static final class TextReducer extends Reducer<LongWritable, BytesWritable, LongWritable, Text> {
    private final Text text = new Text();

    @Override
    protected void reduce(LongWritable key, Iterable<BytesWritable> values, Context ctx)
        throws IOException, InterruptedException {
      for (BytesWritable v : values) {
        text.set(v.getBytes(), 0, v.getLength());
        ctx.write(key, text);
      }
    }
  }

  /** Total order for uniformly random long keys: partition i holds the i-th of n equal key ranges. */
  public static final class RangePartitioner<V> extends Partitioner<LongWritable, V> {
    @Override
    public int getPartition(LongWritable key, V value, int n) {
      long unsigned = key.get() ^ Long.MIN_VALUE;  // signed order as unsigned order
      return (int) Long.divideUnsigned(unsigned, Long.divideUnsigned(-1L, n) + 1);
    }
  }

  /** LocalJobRunner with 2 map and 2 reduce threads, the local file system, a 100 ms completion poll. */
  static Configuration localConf() {
    Configuration conf = new Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    String tmp = System.getProperty("shuffle.tmp");
    if (tmp != null) {
      conf.set("hadoop.tmp.dir", tmp);
    }
    conf.setInt("mapreduce.local.map.tasks.maximum", 2);
    conf.setInt("mapreduce.local.reduce.tasks.maximum", 2);
    // Job.waitForCompletion polls every mapreduce.client.completion.pollinterval ms (default
    // 5000), which would round every job up to a 5 s step.
    conf.setInt("mapreduce.client.completion.pollinterval", 100);
    return conf;
  }

  public static void main(String[] args) throws Exception {
    boolean big = args.length == 4 && args[0].equals("bigsort");
    if (args.length != 3 && !big) {
      System.err.println("usage: MRShuffle reduce|group|sort <records> <partitions>\n"
          + "       MRShuffle bigsort <records> <partitions> <out>");
      System.exit(2);
    }
    long t0 = System.nanoTime();
    String which = args[0];
    long records = Long.parseLong(args[1]);
    int partitions = Integer.parseInt(args[2]);
    Configuration conf = localConf();
    conf.setLong(RECORDS, records);
    conf.setInt(PARTITIONS, partitions);
    if (big) {
      // The 2 reduce threads share one heap, and each may keep up to this fraction of it for the
      // map outputs it fetched (default 0.70): two of them would overcommit a small heap.
      conf.setFloat("mapreduce.reduce.shuffle.input.buffer.percent", 0.3f);
    }
    Job job = Job.getInstance(conf, "shuffle-" + which);
    job.setJarByClass(MRShuffle.class);
    job.setMapperClass(Mapper.class);
    job.setNumReduceTasks(partitions);
    job.setMapOutputKeyClass(LongWritable.class);
    job.setOutputKeyClass(LongWritable.class);
    switch (which) {
      case "reduce" -> {
        job.setInputFormatClass(KeyValueFormat.class);
        job.setMapOutputValueClass(LongWritable.class);
        job.setCombinerClass(SumReducer.class);
        job.setReducerClass(SumReducer.class);
        job.setOutputValueClass(LongWritable.class);
        job.setOutputFormatClass(NullOutputFormat.class);
      }
      case "group" -> {
        job.setInputFormatClass(KeyValueFormat.class);
        job.setMapOutputValueClass(LongWritable.class);
        job.setReducerClass(GroupReducer.class);
        job.setOutputValueClass(NullWritable.class);
        job.setOutputFormatClass(NullOutputFormat.class);
      }
      case "sort" -> {
        job.setInputFormatClass(PayloadFormat.class);
        job.setMapOutputValueClass(BytesWritable.class);
        job.setPartitionerClass(RangePartitioner.class);
        job.setReducerClass(Reducer.class);
        job.setOutputValueClass(BytesWritable.class);
        job.setOutputFormatClass(NullOutputFormat.class);
      }
      case "bigsort" -> {
        job.getConfiguration().setInt(VALUE_BYTES, ShuffleRecords.BIG_SORT_VALUE_BYTES);
        job.setInputFormatClass(PayloadFormat.class);
        job.setMapOutputValueClass(BytesWritable.class);
        job.setPartitionerClass(RangePartitioner.class);
        job.setReducerClass(TextReducer.class);
        job.setOutputValueClass(Text.class);
        job.setOutputFormatClass(TextOutputFormat.class);
        FileOutputFormat.setOutputPath(job, new Path(args[3]));
      }
      default -> throw new IllegalArgumentException("unknown job " + which + " (reduce, group, sort or bigsort)");
    }
    long t1 = System.nanoTime();
    boolean ok = job.waitForCompletion(false);
    long t2 = System.nanoTime();
    if (!ok) {
      System.err.println("MRShuffle: job " + which + " failed (the failed task's error is logged above)");
      System.exit(1);
    }
    long count = job.getCounters().findCounter(TaskCounter.REDUCE_OUTPUT_RECORDS).getValue();
    System.out.printf(Locale.ROOT,
        "RESULT system=hadoop-mr-%s job=%s records=%d partitions=%d count=%d startup_s=%.3f job_s=%.3f%n",
        VersionInfo.getVersion(), which, records, partitions, count, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }
}
