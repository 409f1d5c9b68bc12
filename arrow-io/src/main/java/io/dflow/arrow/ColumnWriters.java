package io.dflow.arrow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/** One {@link ColumnWriter} per {@link ColumnKind}. */
final class ColumnWriters {
  /** A variable-width value also costs one 4-byte offset. */
  private static final int OFFSET_BYTES = 4;

  private ColumnWriters() {}

  /**
   * What the fixed-width writers share: the vector, and a null's cost (a null takes a slot of
   * the same width as a value). Each subclass still writes its own values in its own
   * {@code write}, so the per-value path stays one call, with no boxing.
   */
  private abstract static class FixedWidthWriter<V extends BaseFixedWidthVector> implements ColumnWriter {
    final V vector;
    private final int width;

    FixedWidthWriter(V vector, int width) {
      this.vector = vector;
      this.width = width;
    }

    /** Sets {@code row} to null; returns its cost, the column's width. */
    final long writeNull(int row) {
      vector.setNull(row);
      return width;
    }

    /** Zeroes the vector's buffers (small: a batch's rows of one fixed width), so no earlier value is left under a null. */
    @Override
    public final void clearBatch() {
      vector.reset();
    }
  }

  /**
   * What the variable-width writers share: a value costs its bytes plus one offset, a null only
   * the offset. Subclasses turn a value into bytes and hand them to {@link #writeBytes}.
   */
  private abstract static class VariableWidthWriter implements ColumnWriter {
    /** The batch, gathered on the heap and copied into the vector when it is complete. */
    private final StagedColumn staged;

    VariableWidthWriter(BaseVariableWidthVector vector) {
      this.staged = new StagedColumn(vector);
    }

    final long writeNull(int row) {
      staged.addNull(row);
      return OFFSET_BYTES;
    }

    /** Sets {@code row} to the first {@code length} bytes of {@code bytes}; returns their cost. */
    final long writeBytes(int row, byte[] bytes, int length) {
      staged.add(row, bytes, length);
      return OFFSET_BYTES + length;
    }

    @Override
    public final void completeBatch() {
      staged.copyToVector();
    }

    /**
     * The vector is not zeroed: {@link StagedColumn#copyToVector} writes every byte of the next
     * batch up to its buffers' writer indices, and zeroing the values buffer (the batch's size)
     * was a pass over memory as costly as a copy.
     */
    @Override
    public final void clearBatch() {
      staged.clear();
    }
  }

  static final class StringWriter extends VariableWidthWriter {
    StringWriter(VarCharVector vector) {
      super(vector);
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        return writeNull(row);
      }
      byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
      return writeBytes(row, utf8, utf8.length);
    }
  }

  static final class BytesWriter extends VariableWidthWriter {
    BytesWriter(VarBinaryVector vector) {
      super(vector);
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        return writeNull(row);
      }
      byte[] bytes = (byte[]) value;
      return writeBytes(row, bytes, bytes.length);
    }
  }

  static final class JavaWriter extends VariableWidthWriter {
    private final JavaSerialization.Buffer buffer = new JavaSerialization.Buffer();

    JavaWriter(VarBinaryVector vector) {
      super(vector);
    }

    @Override
    public long write(int row, Object value) throws IOException {
      if (value == null) {
        return writeNull(row);
      }
      JavaSerialization.serialize(value, buffer);
      return writeBytes(row, buffer.array(), buffer.size());
    }
  }

  static final class LongWriter extends FixedWidthWriter<BigIntVector> {
    LongWriter(BigIntVector vector) {
      super(vector, Long.BYTES);
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        return writeNull(row);
      }
      vector.setSafe(row, ((Long) value).longValue());
      return Long.BYTES;
    }
  }

  static final class IntWriter extends FixedWidthWriter<IntVector> {
    IntWriter(IntVector vector) {
      super(vector, Integer.BYTES);
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        return writeNull(row);
      }
      vector.setSafe(row, ((Integer) value).intValue());
      return Integer.BYTES;
    }
  }

  static final class DoubleWriter extends FixedWidthWriter<Float8Vector> {
    DoubleWriter(Float8Vector vector) {
      super(vector, Double.BYTES);
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        return writeNull(row);
      }
      vector.setSafe(row, ((Double) value).doubleValue());
      return Double.BYTES;
    }
  }

  /** Counted as one byte a value, as before, though Arrow packs booleans as bits. */
  static final class BooleanWriter extends FixedWidthWriter<BitVector> {
    BooleanWriter(BitVector vector) {
      super(vector, 1);
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        return writeNull(row);
      }
      vector.setSafe(row, ((Boolean) value) ? 1 : 0);
      return 1;
    }
  }
}
