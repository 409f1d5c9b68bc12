package io.dflow.arrow;

import io.dflow.api.Pair;
import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Splits records into the columns of a {@link RecordLayout}, bound once to a root's vectors. */
abstract sealed class RecordWriter permits RecordWriter.Single, RecordWriter.KeyValue {

  static RecordWriter bind(RecordLayout layout, VectorSchemaRoot root) {
    ColumnWriter first = layout.column(0).writerFor(root.getVector(0));
    if (!layout.isPair()) {
      return new Single(first);
    }
    return new KeyValue(first, layout.column(1).writerFor(root.getVector(1)));
  }

  /**
   * Writes {@code record} into {@code row}.
   *
   * @return the bytes it adds to the batch
   * @throws ClassCastException if the record does not match the layout's encoder
   */
  abstract long write(int row, Object record) throws IOException;

  /** {@link ColumnWriter#completeBatch} of every column: before the root's row count is set. */
  abstract void completeBatch();

  /** {@link ColumnWriter#clearBatch} of every column: empties the vectors for the next batch, keeping their buffers. */
  abstract void clearBatch();

  static final class Single extends RecordWriter {
    private final ColumnWriter value;

    Single(ColumnWriter value) {
      this.value = value;
    }

    @Override
    long write(int row, Object record) throws IOException {
      return value.write(row, record);
    }

    @Override
    void completeBatch() {
      value.completeBatch();
    }

    @Override
    void clearBatch() {
      value.clearBatch();
    }
  }

  static final class KeyValue extends RecordWriter {
    private final ColumnWriter key;
    private final ColumnWriter value;

    KeyValue(ColumnWriter key, ColumnWriter value) {
      this.key = key;
      this.value = value;
    }

    @Override
    long write(int row, Object record) throws IOException {
      if (record == null) {
        throw new IllegalArgumentException("a pair encoder cannot carry a null record");
      }
      Pair<?, ?> pair = (Pair<?, ?>) record;
      return key.write(row, pair.key()) + value.write(row, pair.value());
    }

    @Override
    void completeBatch() {
      key.completeBatch();
      value.completeBatch();
    }

    @Override
    void clearBatch() {
      key.clearBatch();
      value.clearBatch();
    }
  }
}
