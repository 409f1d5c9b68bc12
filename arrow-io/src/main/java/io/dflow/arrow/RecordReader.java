package io.dflow.arrow;

import io.dflow.api.Pair;
import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Assembles records from the columns of a {@link RecordLayout}, bound once to a root's vectors. */
abstract sealed class RecordReader permits RecordReader.Single, RecordReader.KeyValue {

  static RecordReader bind(RecordLayout layout, VectorSchemaRoot root, DeserializationPolicy policy) {
    ColumnReader first = layout.column(0).readerFor(root.getVector(0), policy);
    if (!layout.isPair()) {
      return new Single(first);
    }
    return new KeyValue(first, layout.column(1).readerFor(root.getVector(1), policy));
  }

  /** The record at {@code row} of the batch currently loaded in the root. */
  abstract Object read(int row) throws IOException;

  /** Tells the columns a new batch was loaded into the root (see {@link ColumnReader#batchLoaded}). */
  abstract void batchLoaded();

  static final class Single extends RecordReader {
    private final ColumnReader value;

    Single(ColumnReader value) {
      this.value = value;
    }

    @Override
    Object read(int row) throws IOException {
      return value.read(row);
    }

    @Override
    void batchLoaded() {
      value.batchLoaded();
    }
  }

  static final class KeyValue extends RecordReader {
    private final ColumnReader key;
    private final ColumnReader value;

    KeyValue(ColumnReader key, ColumnReader value) {
      this.key = key;
      this.value = value;
    }

    @Override
    Object read(int row) throws IOException {
      return Pair.of(key.read(row), value.read(row));
    }

    @Override
    void batchLoaded() {
      key.batchLoaded();
      value.batchLoaded();
    }
  }
}
