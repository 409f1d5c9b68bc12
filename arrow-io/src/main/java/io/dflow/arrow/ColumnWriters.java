package io.dflow.arrow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  static final class StringWriter implements ColumnWriter {
    private final VarCharVector vector;

    StringWriter(VarCharVector vector) {
      this.vector = vector;
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        vector.setNull(row);
        return OFFSET_BYTES;
      }
      byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
      vector.setSafe(row, utf8, 0, utf8.length);
      return OFFSET_BYTES + utf8.length;
    }
  }

  static final class LongWriter implements ColumnWriter {
    private final BigIntVector vector;

    LongWriter(BigIntVector vector) {
      this.vector = vector;
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        vector.setNull(row);
      } else {
        vector.setSafe(row, ((Long) value).longValue());
      }
      return Long.BYTES;
    }
  }

  static final class IntWriter implements ColumnWriter {
    private final IntVector vector;

    IntWriter(IntVector vector) {
      this.vector = vector;
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        vector.setNull(row);
      } else {
        vector.setSafe(row, ((Integer) value).intValue());
      }
      return Integer.BYTES;
    }
  }

  static final class DoubleWriter implements ColumnWriter {
    private final Float8Vector vector;

    DoubleWriter(Float8Vector vector) {
      this.vector = vector;
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        vector.setNull(row);
      } else {
        vector.setSafe(row, ((Double) value).doubleValue());
      }
      return Double.BYTES;
    }
  }

  static final class BooleanWriter implements ColumnWriter {
    private final BitVector vector;

    BooleanWriter(BitVector vector) {
      this.vector = vector;
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        vector.setNull(row);
      } else {
        vector.setSafe(row, ((Boolean) value) ? 1 : 0);
      }
      return 1;
    }
  }

  static final class BytesWriter implements ColumnWriter {
    private final VarBinaryVector vector;

    BytesWriter(VarBinaryVector vector) {
      this.vector = vector;
    }

    @Override
    public long write(int row, Object value) {
      if (value == null) {
        vector.setNull(row);
        return OFFSET_BYTES;
      }
      byte[] bytes = (byte[]) value;
      vector.setSafe(row, bytes, 0, bytes.length);
      return OFFSET_BYTES + bytes.length;
    }
  }

  static final class JavaWriter implements ColumnWriter {
    private final VarBinaryVector vector;
    private final JavaSerialization.Buffer buffer = new JavaSerialization.Buffer();

    JavaWriter(VarBinaryVector vector) {
      this.vector = vector;
    }

    @Override
    public long write(int row, Object value) throws IOException {
      if (value == null) {
        vector.setNull(row);
        return OFFSET_BYTES;
      }
      JavaSerialization.serialize(value, buffer);
      vector.setSafe(row, buffer.array(), 0, buffer.size());
      return OFFSET_BYTES + buffer.size();
    }
  }
}
