package io.dflow.formats;

import io.dflow.api.Encoder;
import io.dflow.api.io.Columns;
import io.dflow.api.plan.FileFormat;
import io.dflow.hdfs.PartFormat;
import io.dflow.hdfs.TextPartFormat;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.hadoop.io.compress.CompressionCodec;

/** The part-file writer of each file format. */
public final class FormatWriters {
  private FormatWriters() {}

  /**
   * How a task writes its part file of records of {@code encoder} in {@code format}.
   *
   * @param codec the output compression codec of text-like formats and SequenceFiles (null: none);
   *     Arrow files are uncompressed and Parquet files use Parquet's own compression
   * @param allocator where Arrow files build their batches
   */
  public static PartFormat of(FileFormat format, Encoder<?> encoder, CompressionCodec codec, BufferAllocator allocator) {
    if (format instanceof FileFormat.Text) {
      return new TextPartFormat(codec);
    }
    if (format instanceof FileFormat.Csv csv) {
      return new CsvPartFormat(csv.options(), csv.header(), new TextPartFormat(codec));
    }
    if (format instanceof FileFormat.Sequence) {
      return new SequencePartFormat(Columns.requireScalars("saveAsSequenceFile", encoder), codec);
    }
    if (format instanceof FileFormat.Arrow) {
      return new ArrowPartFormat(encoder, allocator);
    }
    return new ParquetPartFormat(encoder);
  }
}
