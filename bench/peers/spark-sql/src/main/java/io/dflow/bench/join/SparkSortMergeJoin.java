package io.dflow.bench.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.rpad;
import static org.apache.spark.sql.functions.shiftrightunsigned;

import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * bench/join.sh's join on Spark SQL, {@code local[2]}, as a sort-merge join (broadcasts off):
 * {@code SparkSortMergeJoin <records> <partitions>} joins the same generated sides as dflow's
 * {@code JoinJob} (left: {@code records} rows, keys {@code (i * 0x9E3779B97F4A7C15 >>> 1) %
 * (records / 4)}; right: {@code records / 2} rows, keys {@code ... % (records / 2)}; values
 * {@code i} in hex padded to 32 characters) on the key and counts the rows.
 *
 * <p>Prints {@code RESULT system=spark-<version> job=join records=<n> partitions=<p>
 * count=<count> plan=<SortMergeJoin|other> startup_s=<s> job_s=<s>}.
 */
public final class SparkSortMergeJoin {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private SparkSortMergeJoin() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: SparkSortMergeJoin <records> <partitions>");
      System.exit(2);
    }
    long t0 = System.nanoTime();
    long records = Long.parseLong(args[0]);
    int partitions = Integer.parseInt(args[1]);
    SparkSession spark = SparkSession.builder().appName("sort-merge-join").master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.autoBroadcastJoinThreshold", "-1")
        .config("spark.sql.join.preferSortMergeJoin", "true")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.shuffle.partitions", String.valueOf(partitions))
        .getOrCreate();
    try {
      spark.sparkContext().setLogLevel("WARN");
      long t1 = System.nanoTime();
      Dataset<Row> left = side(spark, records, partitions, records / 4);
      Dataset<Row> right = side(spark, records / 2, partitions, records / 2);
      Dataset<Row> joined = left.join(right, "key");
      String plan = joined.queryExecution().executedPlan().toString().contains("SortMergeJoin") ? "SortMergeJoin"
          : "other";
      long count = joined.count();
      long t2 = System.nanoTime();
      System.out.printf(Locale.ROOT, "RESULT system=spark-%s job=join records=%d partitions=%d count=%d plan=%s"
          + " startup_s=%.3f job_s=%.3f%n", spark.version(), records, partitions, count, plan, (t1 - t0) / 1e9,
          (t2 - t1) / 1e9);
    } finally {
      spark.stop();
    }
  }

  private static Dataset<Row> side(SparkSession spark, long n, int partitions, long keys) {
    return spark.range(0, n, 1, partitions).select(
        shiftrightunsigned(col("id").multiply(lit(GOLDEN)), 1).mod(lit(keys)).as("key"),
        rpad(lower(hex(col("id"))), 32, ".").as("value"));
  }
}
