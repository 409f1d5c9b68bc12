package io.dflow.arrow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/** One {@link ColumnReader} per {@link ColumnKind}. */
final class ColumnReaders {
  private ColumnReaders() {}

  static final class StringReader implements ColumnReader {
    private final VarCharVector vector;
    private final HeapColumn heap;

    StringReader(VarCharVector vector) {
      this.vector = vector;
      this.heap = new HeapColumn(vector);
    }

    @Override
    public void batchLoaded() {
      heap.load();
    }

    @Override
    public Object read(int row) {
      if (!heap.loaded()) {
        return vector.isNull(row) ? null : new String(vector.get(row), StandardCharsets.UTF_8);
      }
      return heap.isNull(row) ? null : new String(heap.values(), heap.start(row), heap.length(row), StandardCharsets.UTF_8);
    }
  }

  static final class LongReader implements ColumnReader {
    private final BigIntVector vector;

    LongReader(BigIntVector vector) {
      this.vector = vector;
    }

    @Override
    public Object read(int row) {
      return vector.isNull(row) ? null : vector.get(row);
    }
  }

  static final class IntReader implements ColumnReader {
    private final IntVector vector;

    IntReader(IntVector vector) {
      this.vector = vector;
    }

    @Override
    public Object read(int row) {
      return vector.isNull(row) ? null : vector.get(row);
    }
  }

  static final class DoubleReader implements ColumnReader {
    private final Float8Vector vector;

    DoubleReader(Float8Vector vector) {
      this.vector = vector;
    }

    @Override
    public Object read(int row) {
      return vector.isNull(row) ? null : vector.get(row);
    }
  }

  static final class BooleanReader implements ColumnReader {
    private final BitVector vector;

    BooleanReader(BitVector vector) {
      this.vector = vector;
    }

    @Override
    public Object read(int row) {
      return vector.isNull(row) ? null : vector.get(row) != 0;
    }
  }

  static final class BytesReader implements ColumnReader {
    private final VarBinaryVector vector;
    private final HeapColumn heap;

    BytesReader(VarBinaryVector vector) {
      this.vector = vector;
      this.heap = new HeapColumn(vector);
    }

    @Override
    public void batchLoaded() {
      heap.load();
    }

    @Override
    public Object read(int row) {
      if (!heap.loaded()) {
        return vector.isNull(row) ? null : vector.get(row);
      }
      return heap.isNull(row) ? null : heap.bytes(row);
    }
  }

  static final class JavaReader implements ColumnReader {
    private final VarBinaryVector vector;
    private final DeserializationPolicy policy;

    JavaReader(VarBinaryVector vector, DeserializationPolicy policy) {
      this.vector = vector;
      this.policy = policy;
    }

    @Override
    public Object read(int row) throws IOException {
      return vector.isNull(row) ? null : JavaSerialization.deserialize(vector.get(row), policy);
    }
  }
}
