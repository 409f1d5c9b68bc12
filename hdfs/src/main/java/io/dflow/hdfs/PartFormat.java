package io.dflow.hdfs;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** How a task's part file is named and written: one implementation per output file format. */
public interface PartFormat {
  /** What follows {@code part-NNNNN} in the file's name: {@code .gz}, {@code .parquet}, ... */
  String extension();

  /** Creates {@code file} (which does not exist yet) and a writer of records into it. */
  PartWriter create(FileSystem fs, Path file, Configuration conf) throws IOException;
}
