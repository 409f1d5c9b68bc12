package io.dflow.arrow;

import io.dflow.api.Encoder;
import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Packs records into Arrow record batches of the columns {@link RecordLayout} gives their
 * encoder, reusing one root's buffers batch after batch: {@link #add} records until it says the
 * batch is full, use {@link #root()}, then {@link #clear()}. Not thread safe.
 */
public final class RecordBatcher implements java.io.Closeable {
  private final RecordLayout layout;
  private final BatchLimits limits;
  private final VectorSchemaRoot root;
  private final RecordWriter writer;
  private int rows;
  private long bytes;

  public RecordBatcher(Encoder<?> encoder, BufferAllocator allocator, BatchLimits limits) {
    this.layout = RecordLayout.of(encoder);
    this.limits = limits;
    this.root = VectorSchemaRoot.create(layout.schema(), allocator);
    this.writer = RecordWriter.bind(layout, root);
  }

  /**
   * Adds {@code record} as the next row.
   *
   * @return true if the batch is now full
   * @throws IllegalArgumentException if the record does not match the encoder
   */
  public boolean add(Object record) throws IOException {
    try {
      bytes += writer.write(rows, record);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("a record of " + (record == null ? "null" : record.getClass().getName())
          + " does not match encoder " + layout.encoder().describe(), e);
    }
    rows++;
    return rows >= limits.maxRows() || bytes >= limits.maxBytes();
  }

  /** How many rows the batch holds. */
  public int rows() {
    return rows;
  }

  /** The batch so far, its row count set. Valid until {@link #clear()} or the next {@link #add}. */
  public VectorSchemaRoot root() {
    writer.completeBatch();
    root.setRowCount(rows);
    return root;
  }

  /** Empties the batch, keeping its buffers for the next. */
  public void clear() {
    writer.clearBatch();
    root.setRowCount(0);
    rows = 0;
    bytes = 0;
  }

  @Override
  public void close() {
    root.close();
  }
}
