package io.dflow.arrow;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.Iterator;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * Writes records as Arrow IPC stream segments. One instance serves every partition of a map
 * output: its vectors are allocated once and reused batch after batch, so at most one batch
 * of Arrow memory is held at a time (with {@link Compression#LZ4} or {@link Compression#ZSTD},
 * that batch and its compressed buffers, released once written).
 *
 * <p>With a codec, every record batch carries Arrow's standard body compression: codec
 * {@code LZ4_FRAME} or {@code ZSTD}, method {@code BUFFER} ({@link BufferCodec}). With
 * {@link Compression#NONE}, batches are written uncompressed, byte for byte as before.
 */
final class SegmentWriter implements AutoCloseable {
  /** Bytes and records of one written segment, and the bytes it would take uncompressed. */
  record Written(long bytes, long records, long rawBytes) {
    static final Written EMPTY = new Written(0, 0, 0);
  }

  private final RecordLayout layout;
  private final BatchLimits limits;
  private final VectorSchemaRoot root;
  private final RecordWriter records;
  private final VectorUnloader unloader;
  /** Null for {@link Compression#NONE}. */
  private final BufferCodec codec;

  /** An uncompressed writer. */
  SegmentWriter(RecordLayout layout, BufferAllocator allocator, BatchLimits limits) {
    this(layout, allocator, limits, Compression.NONE);
  }

  SegmentWriter(RecordLayout layout, BufferAllocator allocator, BatchLimits limits,
      Compression compression) {
    this.layout = layout;
    this.limits = limits;
    this.codec = BufferCodec.forWriting(Objects.requireNonNull(compression, "compression"));
    this.root = VectorSchemaRoot.create(layout.schema(), allocator);
    this.records = RecordWriter.bind(layout, root);
    this.unloader = codec == null
        ? new VectorUnloader(root)
        : new VectorUnloader(root, true, codec, true);
  }

  /**
   * Writes one segment holding every record of {@code input}; nothing at all if it is empty.
   *
   * @throws IllegalArgumentException if a record does not match the encoder
   */
  Written write(Iterator<?> input, WritableByteChannel out) throws IOException {
    if (!input.hasNext()) {
      return Written.EMPTY;
    }
    WriteChannel channel = new WriteChannel(out); // not closed: that would close the file
    channel.write(layout.schemaMessage());
    long count = 0;
    int rows = 0;
    long batchBytes = 0;
    long savedByCompression = 0;
    while (input.hasNext()) {
      Object record = input.next();
      try {
        batchBytes += records.write(rows, record);
      } catch (ClassCastException e) {
        throw new IllegalArgumentException("record " + count + " (" + typeOf(record)
            + ") does not match encoder " + layout.encoder().describe(), e);
      }
      rows++;
      count++;
      if (rows == limits.maxRows() || batchBytes >= limits.maxBytes()) {
        savedByCompression += writeBatch(channel, rows);
        rows = 0;
        batchBytes = 0;
      }
    }
    if (rows > 0) {
      savedByCompression += writeBatch(channel, rows);
    }
    ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
    long bytes = channel.getCurrentPosition();
    return new Written(bytes, count, bytes + savedByCompression);
  }

  /** Writes the rows held as one batch; returns the bytes compression saved on its body. */
  private long writeBatch(WriteChannel channel, int rows) throws IOException {
    records.completeBatch();
    root.setRowCount(rows);
    long rawBody = 0;
    if (codec != null) {
      codec.startBatch();
      for (FieldVector vector : root.getFieldVectors()) {
        for (ArrowBuf buffer : vector.getFieldBuffers()) {
          rawBody += buffer.writerIndex();
        }
      }
    }
    long saved;
    try (ArrowRecordBatch batch = unloader.getRecordBatch()) {
      saved = codec == null ? 0 : rawBody - batch.getBuffers().stream().mapToLong(ArrowBuf::writerIndex).sum();
      MessageSerializer.serialize(channel, batch);
    }
    records.clearBatch(); // keeps the buffers for the next batch
    return saved;
  }

  private static String typeOf(Object record) {
    if (record == null) {
      return "null";
    }
    if (record instanceof io.dflow.api.Pair<?, ?> pair) {
      return "Pair<" + typeOf(pair.key()) + "," + typeOf(pair.value()) + ">";
    }
    return record.getClass().getName();
  }

  @Override
  public void close() {
    root.close();
  }
}
