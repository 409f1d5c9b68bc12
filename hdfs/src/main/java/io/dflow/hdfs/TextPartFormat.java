package io.dflow.hdfs;

import io.dflow.api.pipe.LineEncoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;

/**
 * Text part files: one UTF-8 line per record as {@link LineEncoder#TEXT} renders it ({@code byte[]}
 * as they are, a pair as {@code key<TAB>value}), compressed by {@code codec} when not null.
 */
public record TextPartFormat(CompressionCodec codec) implements PartFormat {
  private static final int BUFFER_BYTES = 64 << 10;

  @Override
  public String extension() {
    return codec == null ? "" : codec.getDefaultExtension();
  }

  @Override
  public PartWriter create(FileSystem fs, Path file, Configuration conf) throws IOException {
    OutputStream out = compressed(fs.create(file, false), file.getName());
    BufferedOutputStream buffered = new BufferedOutputStream(out, BUFFER_BYTES);
    return new PartWriter() {
      @Override
      public void write(Object record) throws IOException {
        LineEncoder.writeText(record, buffered);
        buffered.write('\n');
      }

      @Override
      public void close() throws IOException {
        buffered.close();
      }
    };
  }

  private OutputStream compressed(OutputStream file, String name) throws IOException {
    if (codec == null) {
      return file;
    }
    try {
      return codec.createOutputStream(file);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw new IOException("cannot compress " + name + " with " + Codecs.name(codec) + ": " + e.getMessage(), e);
    }
  }
}
