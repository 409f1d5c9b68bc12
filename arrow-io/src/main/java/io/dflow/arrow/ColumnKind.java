package io.dflow.arrow;

import io.dflow.api.Encoder;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The Arrow type of one column and how its values are written and read. The switch on the
 * kind happens once per vector, when a writer or reader is bound to it, never per value.
 */
enum ColumnKind {
  STRING(ArrowType.Utf8.INSTANCE, 0),
  LONG(new ArrowType.Int(64, true), 64),
  INT(new ArrowType.Int(32, true), 32),
  DOUBLE(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), 64),
  BOOLEAN(ArrowType.Bool.INSTANCE, 1),
  BYTES(ArrowType.Binary.INSTANCE, 0),
  JAVA_SERIALIZED(ArrowType.Binary.INSTANCE, 0);

  private final ArrowType arrowType;
  private final int fixedWidthBits;

  ColumnKind(ArrowType arrowType, int fixedWidthBits) {
    this.arrowType = arrowType;
    this.fixedWidthBits = fixedWidthBits;
  }

  /** The column for a whole record or for one component of a pair. */
  static ColumnKind of(Encoder<?> encoder) {
    if (encoder instanceof Encoder.Scalar<?> scalar) {
      return switch (scalar.kind()) {
        case STRING -> STRING;
        case LONG -> LONG;
        case INT -> INT;
        case DOUBLE -> DOUBLE;
        case BOOLEAN -> BOOLEAN;
        case BYTES -> BYTES;
      };
    }
    return JAVA_SERIALIZED;
  }

  ArrowType arrowType() {
    return arrowType;
  }

  /** Bits per value in the data buffer, or 0 for a variable-width (offsets + data) column. */
  int fixedWidthBits() {
    return fixedWidthBits;
  }

  boolean isVariableWidth() {
    return fixedWidthBits == 0;
  }

  /** Arrow buffers per column in a record batch: validity + data, or validity + offsets + data. */
  int bufferCount() {
    return isVariableWidth() ? 3 : 2;
  }

  ColumnWriter writerFor(FieldVector vector) {
    return switch (this) {
      case STRING -> new ColumnWriters.StringWriter((VarCharVector) vector);
      case LONG -> new ColumnWriters.LongWriter((BigIntVector) vector);
      case INT -> new ColumnWriters.IntWriter((IntVector) vector);
      case DOUBLE -> new ColumnWriters.DoubleWriter((Float8Vector) vector);
      case BOOLEAN -> new ColumnWriters.BooleanWriter((BitVector) vector);
      case BYTES -> new ColumnWriters.BytesWriter((VarBinaryVector) vector);
      case JAVA_SERIALIZED -> new ColumnWriters.JavaWriter((VarBinaryVector) vector);
    };
  }

  ColumnReader readerFor(FieldVector vector, DeserializationPolicy policy) {
    return switch (this) {
      case STRING -> new ColumnReaders.StringReader((VarCharVector) vector);
      case LONG -> new ColumnReaders.LongReader((BigIntVector) vector);
      case INT -> new ColumnReaders.IntReader((IntVector) vector);
      case DOUBLE -> new ColumnReaders.DoubleReader((Float8Vector) vector);
      case BOOLEAN -> new ColumnReaders.BooleanReader((BitVector) vector);
      case BYTES -> new ColumnReaders.BytesReader((VarBinaryVector) vector);
      case JAVA_SERIALIZED -> new ColumnReaders.JavaReader((VarBinaryVector) vector, policy);
    };
  }
}
