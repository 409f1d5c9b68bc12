package io.dflow.bench.shuffle;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * The shuffle jobs of {@code bench/shuffle.sh} on Spark, {@code local[2]}:
 * {@code SparkShuffle reduce|group|sort <records> <partitions>}. Records are generated inside the
 * map tasks by {@link ShuffleRecords} (one map partition per generator partition), never cached:
 *
 * <ul>
 *   <li>{@code reduce}: key-value records, {@code reduceByKey(Long::sum, partitions).count()};
 *   <li>{@code group}: the same records, {@code groupByKey(partitions).count()};
 *   <li>{@code sort}: payload records (90-byte values), {@code sortByKey(true, partitions).count()}.
 * </ul>
 *
 * <p>Prints one line on stdout: {@code RESULT system=spark-<version> job=<job> records=<n>
 * partitions=<p> count=<count> startup_s=<s> job_s=<s>}. Spark's own settings come from system
 * properties ({@code -Dspark.local.dir=...}); the serializer is Spark's default (Java).
 */
public final class SparkShuffle {
  private SparkShuffle() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: SparkShuffle reduce|group|sort <records> <partitions>");
      System.exit(2);
    }
    long t0 = System.nanoTime();
    String job = args[0];
    long records = Long.parseLong(args[1]);
    int partitions = Integer.parseInt(args[2]);
    SparkConf conf = new SparkConf().setAppName("shuffle-" + job).setMaster("local[2]")
        .set("spark.ui.enabled", "false");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      sc.setLogLevel("WARN");
      long t1 = System.nanoTime();
      long count = switch (job) {
        case "reduce" -> keyValues(sc, records, partitions).reduceByKey(Long::sum, partitions).count();
        case "group" -> keyValues(sc, records, partitions).groupByKey(partitions).count();
        case "sort" -> payloads(sc, records, partitions).sortByKey(true, partitions).count();
        default -> throw new IllegalArgumentException("unknown job " + job + " (reduce, group or sort)");
      };
      long t2 = System.nanoTime();
      System.out.printf(Locale.ROOT,
          "RESULT system=spark-%s job=%s records=%d partitions=%d count=%d startup_s=%.3f job_s=%.3f%n",
          sc.version(), job, records, partitions, count, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }
  }

  private static List<Integer> partitionIds(int partitions) {
    List<Integer> ids = new ArrayList<>(partitions);
    for (int i = 0; i < partitions; i++) {
      ids.add(i);
    }
    return ids;
  }

  static JavaPairRDD<Long, Long> keyValues(JavaSparkContext sc, long records, int partitions) {
    return sc.parallelize(partitionIds(partitions), partitions).flatMapToPair(p -> {
      ShuffleRecords gen = ShuffleRecords.keyValues(records, partitions, p);
      return new Iterator<Tuple2<Long, Long>>() {
        @Override
        public boolean hasNext() {
          return gen.hasNext();
        }

        @Override
        public Tuple2<Long, Long> next() {
          gen.nextKeyValue();
          return new Tuple2<>(gen.key(), gen.value());
        }
      };
    });
  }

  static JavaPairRDD<Long, byte[]> payloads(JavaSparkContext sc, long records, int partitions) {
    return sc.parallelize(partitionIds(partitions), partitions).flatMapToPair(p -> {
      ShuffleRecords gen = ShuffleRecords.payloads(records, partitions, p);
      return new Iterator<Tuple2<Long, byte[]>>() {
        @Override
        public boolean hasNext() {
          return gen.hasNext();
        }

        @Override
        public Tuple2<Long, byte[]> next() {
          byte[] value = new byte[ShuffleRecords.SORT_VALUE_BYTES];
          long key = gen.nextPayload(value);
          return new Tuple2<>(key, value);
        }
      };
    });
  }
}
