package io.dflow.bench.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the Parquet file of {@code bench/parquet.sh} with Spark's writer and its defaults
 * (Snappy, 128 MiB row groups): {@code ParquetBenchFile <rows> <seed> <file.parquet>}. Row
 * {@code i} has the columns {@code x} (int64, in {@code [0, 10^9)}), {@code y} (double, in
 * {@code [0, 1)}) and {@code s} (a string of 4 to 12 letters), all drawn from a SplitMix64 hash of
 * {@code seed} and {@code i}, so a seed gives the same file's contents on any machine. One task
 * writes the rows in order, into one file, which is moved to the path given.
 *
 * <p>Prints one line on stdout: {@code RESULT system=spark-<version> job=generate rows=<n>
 * sum=<sum of x> row_groups=<n> bytes=<n>}, the sum computed here by a plain loop over the same
 * hash, for the readers' results to be checked against, and the row groups and size of the file.
 */
public final class ParquetBenchFile {
  private static final long X_BOUND = 1_000_000_000L;

  private ParquetBenchFile() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: ParquetBenchFile <rows> <seed> <file.parquet>");
      System.exit(2);
    }
    long rows = Long.parseLong(args[0]);
    long seed = Long.parseLong(args[1]);
    Path file = Path.of(args[2]).toAbsolutePath();
    Path dir = file.resolveSibling(file.getFileName() + ".spark-output");
    StructType schema = new StructType()
        .add("x", DataTypes.LongType)
        .add("y", DataTypes.DoubleType)
        .add("s", DataTypes.StringType);
    SparkSession spark = SparkSession.builder().appName("parquet-bench-file").master("local[2]")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      spark.sparkContext().setLogLevel("WARN");
      spark.range(0, rows, 1, 1)
          .map((MapFunction<Long, Row>) i -> RowFactory.create(x(seed, i), y(seed, i), s(seed, i)),
              Encoders.row(schema))
          .write().mode(SaveMode.Overwrite).parquet(dir.toString());
      List<Path> parts;
      try (Stream<Path> listing = Files.list(dir)) {
        parts = listing.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
      }
      if (parts.size() != 1) {
        throw new IllegalStateException("expected one part file in " + dir + ", found " + parts);
      }
      Files.move(parts.get(0), file, StandardCopyOption.REPLACE_EXISTING);
      try (Stream<Path> left = Files.list(dir)) {
        for (Path p : (Iterable<Path>) left::iterator) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
      long sum = 0;
      for (long i = 0; i < rows; i++) {
        sum += x(seed, i);
      }
      int rowGroups;
      try (ParquetFileReader written = ParquetFileReader.open(
          HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
        rowGroups = written.getRowGroups().size();
      }
      System.out.printf(Locale.ROOT, "RESULT system=spark-%s job=generate rows=%d sum=%d row_groups=%d bytes=%d%n",
          spark.version(), rows, sum, rowGroups, Files.size(file));
    } finally {
      spark.stop();
    }
  }

  /** SplitMix64's finalizer: a well-mixed 64-bit hash of {@code z}. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The {@code k}-th hash of row {@code i}. */
  static long hash(long seed, long i, int k) {
    return mix(seed * 0x9e3779b97f4a7c15L + i * 3 + k);
  }

  static long x(long seed, long i) {
    return Math.floorMod(hash(seed, i, 0), X_BOUND);
  }

  static double y(long seed, long i) {
    return (hash(seed, i, 1) >>> 11) * 0x1.0p-53;
  }

  static String s(long seed, long i) {
    long h = hash(seed, i, 2);
    int length = 4 + (int) Math.floorMod(h, 9L);
    char[] letters = new char[length];
    for (int c = 0; c < length; c++) {
      h = mix(h + c);
      letters[c] = (char) ('a' + Math.floorMod(h, 26L));
    }
    return new String(letters);
  }
}
