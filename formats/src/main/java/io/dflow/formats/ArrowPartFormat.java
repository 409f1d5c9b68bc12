package io.dflow.formats;

import io.dflow.api.Encoder;
import io.dflow.arrow.BatchLimits;
import io.dflow.arrow.RecordBatcher;
import io.dflow.hdfs.PartFormat;
import io.dflow.hdfs.PartWriter;
import java.io.IOException;
import java.nio.channels.Channels;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Arrow IPC file part files ({@code .arrow}): the records packed into batches of the encoder's
 * columns ({@code value}, or {@code key} and {@code value}), readable by any Arrow implementation.
 */
record ArrowPartFormat(Encoder<?> encoder, BufferAllocator allocator) implements PartFormat {
  @Override
  public String extension() {
    return ".arrow";
  }

  @Override
  public PartWriter create(FileSystem fs, Path file, Configuration conf) throws IOException {
    RecordBatcher batcher = new RecordBatcher(encoder, allocator, BatchLimits.DEFAULT);
    ArrowFileWriter writer;
    try {
      writer = new ArrowFileWriter(batcher.root(), null, Channels.newChannel(fs.create(file, false)));
      writer.start();
    } catch (IOException | RuntimeException e) {
      batcher.close();
      throw e;
    }
    return new PartWriter() {
      @Override
      public void write(Object record) throws IOException {
        if (batcher.add(record)) {
          flush();
        }
      }

      private void flush() throws IOException {
        batcher.root();
        writer.writeBatch();
        batcher.clear();
      }

      @Override
      public void close() throws IOException {
        try (batcher; writer) {
          if (batcher.rows() > 0) {
            flush();
          }
          writer.end();
        }
      }
    };
  }
}
