/**
 * Spark SQL 3.5's side of bench/parquet.sh on {@code local[2]}: {@link
 * io.dflow.bench.parquet.ParquetBenchFile} writes the benchmark's Parquet file with Spark's own
 * writer (as users' files on HDFS are written) and {@link io.dflow.bench.parquet.SparkParquetSum}
 * sums one of its columns with Spark's vectorized reader. Built from Maven Central outside
 * dflow's own build.
 *
 * <p>Threading: main programs; Spark's engine runs their tasks.
 */
package io.dflow.bench.parquet;
