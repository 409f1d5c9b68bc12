package io.dflow.formats;

import io.dflow.api.Encoder;
import io.dflow.api.io.Columns;
import io.dflow.api.plan.FileFormat;
import io.dflow.api.plan.FileSplit;
import io.dflow.hdfs.TextSplitReader;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.hadoop.conf.Configuration;

/** Opens the reader of one split for each file format. */
public final class FormatReaders {
  private FormatReaders() {}

  /**
   * The records of {@code split} in {@code format}, as records of {@code encoder}.
   *
   * @param allocator where columnar formats load their batches (closed after the reader)
   * @param progress called as a columnar reader loads each batch (other readers are counted per record)
   */
  public static SplitRecords open(FileFormat format, Encoder<?> encoder, FileSplit split, Configuration conf,
      int maxLineBytes, BufferAllocator allocator, Runnable progress) {
    if (format instanceof FileFormat.Text text) {
      TextSplitReader<?> lines = text.raw()
          ? new TextSplitReader<>(split, conf, maxLineBytes, TextSplitReader.BYTES)
          : new TextSplitReader<>(split, conf, maxLineBytes, TextSplitReader.TEXT);
      return new TextRecords(lines);
    }
    if (format instanceof FileFormat.Csv csv) {
      return new CsvSplitReader(new TextSplitReader<>(split, conf, maxLineBytes, TextSplitReader.TEXT), csv.options());
    }
    List<Encoder.Scalar<?>> fields = Columns.requireScalars(format.sourceName(), encoder);
    if (format instanceof FileFormat.Sequence) {
      return new SequenceSplitReader(split, conf, fields);
    }
    if (format instanceof FileFormat.Arrow arrow) {
      return new ArrowSplitReader(split, encoder, arrow.columns(), fields.size(), conf, allocator, progress);
    }
    FileFormat.Parquet parquet = (FileFormat.Parquet) format;
    return new ParquetSplitReader(split, encoder, parquet.columns(), fields, conf, allocator, progress);
  }

  /** Text lines as split records. */
  private record TextRecords(TextSplitReader<?> lines) implements SplitRecords {
    @Override
    public boolean hasNext() {
      return lines.hasNext();
    }

    @Override
    public Object next() {
      return lines.next();
    }

    @Override
    public String describePosition() {
      return lines.describePosition();
    }

    @Override
    public void close() throws java.io.IOException {
      lines.close();
    }
  }
}
