import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import io.dflow.bench.shuffle.ShuffleRecords;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The shuffle jobs of {@code bench/shuffle.sh} on dflow: {@code ShuffleJob reduce|group|sort
 * <records> <partitions>} or {@code ShuffleJob bigsort <records> <partitions> <out>}. Records are
 * generated inside the map tasks by {@code ShuffleRecords} (the generator the Spark and Hadoop MR
 * peers use), one map partition per generator partition, never cached:
 *
 * <ul>
 *   <li>{@code reduce}: key-value records, {@code reduceByKey(Long::sum, partitions).count()};
 *   <li>{@code group}: the same records, {@code groupByKey(partitions).count()};
 *   <li>{@code sort}: payload records (90-byte values), {@code sortByKey(true, partitions).count()};
 *   <li>{@code bigsort}: payload records with 100-byte values, sorted and written with
 *       {@code saveAsTextFile(out)} as {@code key<TAB>value} lines (part-00000 holds the smallest
 *       keys), for {@code SortCheck} to read back.
 * </ul>
 *
 * <p>Prints one line on stdout: {@code RESULT system=dflow job=<job> records=<n>
 * partitions=<p> count=<count> job_s=<s>} ({@code count=-1} for {@code bigsort}, whose output is
 * counted by {@code SortCheck}).
 */
public final class ShuffleJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    boolean big = args.length == 4 && args[0].equals("bigsort");
    if (args.length != 3 && !big) {
      throw new IllegalArgumentException("usage: ShuffleJob reduce|group|sort <records> <partitions>"
          + " | ShuffleJob bigsort <records> <partitions> <out>");
    }
    String job = args[0];
    long records = Long.parseLong(args[1]);
    int partitions = Integer.parseInt(args[2]);
    long start = System.nanoTime();
    long count = switch (job) {
      case "reduce" -> keyValues(ctx, records, partitions).reduceByKey(Long::sum, partitions).count();
      case "group" -> keyValues(ctx, records, partitions).groupByKey(partitions).count();
      case "sort" -> payloads(ctx, records, partitions, ShuffleRecords.SORT_VALUE_BYTES)
          .sortByKey(true, partitions).count();
      case "bigsort" -> {
        payloads(ctx, records, partitions, ShuffleRecords.BIG_SORT_VALUE_BYTES)
            .sortByKey(true, partitions)
            .map(ShuffleJob::line, Encoders.strings())
            .saveAsTextFile(args[3]);
        yield -1L;
      }
      default -> throw new IllegalArgumentException("unknown job " + job + " (reduce, group, sort or bigsort)");
    };
    System.out.printf(Locale.ROOT, "RESULT system=dflow job=%s records=%d partitions=%d count=%d job_s=%.3f%n",
        job, records, partitions, count, (System.nanoTime() - start) / 1e9);
  }

  /** One generator partition per map partition: a collection of the partition numbers, one per slice. */
  private static List<Integer> partitionIds(int partitions) {
    return IntStream.range(0, partitions).boxed().toList();
  }

  static PairDataset<Long, Long> keyValues(JobContext ctx, long records, int partitions) {
    return ctx.parallelize(partitionIds(partitions), Encoders.ints(), partitions).flatMapToPair(p -> {
      ShuffleRecords gen = ShuffleRecords.keyValues(records, partitions, p);
      return new Iterator<Pair<Long, Long>>() {
        @Override
        public boolean hasNext() {
          return gen.hasNext();
        }

        @Override
        public Pair<Long, Long> next() {
          gen.nextKeyValue();
          return Pair.of(gen.key(), gen.value());
        }
      };
    }, Encoders.longs(), Encoders.longs());
  }

  static PairDataset<Long, byte[]> payloads(JobContext ctx, long records, int partitions, int valueBytes) {
    return ctx.parallelize(partitionIds(partitions), Encoders.ints(), partitions).flatMapToPair(p -> {
      ShuffleRecords gen = ShuffleRecords.payloads(records, partitions, p);
      return new Iterator<Pair<Long, byte[]>>() {
        @Override
        public boolean hasNext() {
          return gen.hasNext();
        }

        @Override
        public Pair<Long, byte[]> next() {
          byte[] value = new byte[valueBytes];
          long key = gen.nextPayload(value);
          return Pair.of(key, value);
        }
      };
    }, Encoders.longs(), Encoders.bytes());
  }

  /** A sorted record as the text line the big sort writes: {@code key<TAB>value}. */
  static String line(Pair<Long, byte[]> record) {
    return record.key() + "\t" + new String(record.value(), StandardCharsets.ISO_8859_1);
  }
}
