package io.dflow.formats;

import io.dflow.api.Encoder;
import io.dflow.api.Pair;
import io.dflow.hdfs.PartFormat;
import io.dflow.hdfs.PartWriter;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.compress.CompressionCodec;

/**
 * SequenceFile part files of the encoders' Writables, block-compressed by {@code codec} when
 * one is set (output compression), else uncompressed. Part files get no extension, as Hadoop's.
 */
record SequencePartFormat(List<Encoder.Scalar<?>> columns, CompressionCodec codec) implements PartFormat {
  @Override
  public String extension() {
    return "";
  }

  @Override
  public PartWriter create(FileSystem fs, Path file, Configuration conf) throws IOException {
    Writable key = Writables.holder(columns.get(0));
    Writable value = Writables.holder(columns.get(1));
    FSDataOutputStream out = fs.create(file, false);
    SequenceFile.Writer writer = SequenceFile.createWriter(conf,
        SequenceFile.Writer.stream(out),
        SequenceFile.Writer.keyClass(key.getClass()),
        SequenceFile.Writer.valueClass(value.getClass()),
        codec == null
            ? SequenceFile.Writer.compression(SequenceFile.CompressionType.NONE)
            : SequenceFile.Writer.compression(SequenceFile.CompressionType.BLOCK, codec));
    return new PartWriter() {
      @Override
      public void write(Object record) throws IOException {
        Pair<?, ?> pair = (Pair<?, ?>) record;
        writer.append(Writables.set(key, pair.key(), "key"), Writables.set(value, pair.value(), "value"));
      }

      @Override
      public void close() throws IOException {
        try (out) { // a writer given a stream leaves closing it to its owner
          writer.close();
        }
      }
    };
  }
}
