package io.dflow.bench.parquet;

import static org.apache.spark.sql.functions.sum;

import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The sum of one long column of a Parquet file on Spark SQL, {@code local[2]}: {@code
 * SparkParquetSum <path> <column>} runs {@code spark.read().parquet(path).agg(sum(column))}
 * with Spark's defaults (its vectorized Parquet reader, whole-stage code generation).
 *
 * <p>Prints one line on stdout: {@code RESULT system=spark-<version> job=sum column=<c>
 * sum=<sum> startup_s=<s> job_s=<s>}, the job's seconds from after the session started to the
 * result.
 */
public final class SparkParquetSum {
  private SparkParquetSum() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: SparkParquetSum <path> <column>");
      System.exit(2);
    }
    long t0 = System.nanoTime();
    String path = args[0];
    String column = args[1];
    SparkSession spark = SparkSession.builder().appName("parquet-sum").master("local[2]")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      spark.sparkContext().setLogLevel("WARN");
      long t1 = System.nanoTime();
      Row row = spark.read().parquet(path).agg(sum(column)).first();
      long t2 = System.nanoTime();
      if (row.isNullAt(0)) {
        throw new IllegalStateException("no rows with a value in column " + column + " of " + path);
      }
      System.out.printf(Locale.ROOT, "RESULT system=spark-%s job=sum column=%s sum=%d startup_s=%.3f job_s=%.3f%n",
          spark.version(), column, row.getLong(0), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    } finally {
      spark.stop();
    }
  }
}
