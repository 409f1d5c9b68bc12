package io.dflow.formats;

import io.dflow.api.Encoder;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The Parquet column type of each scalar encoder: strings as UTF-8 {@code BINARY}, longs
 * {@code INT64}, ints {@code INT32}, doubles {@code DOUBLE}, booleans {@code BOOLEAN}, byte
 * arrays plain {@code BINARY}; every column optional (nullable), as Spark writes them.
 */
final class ParquetTypes {
  private ParquetTypes() {}

  static PrimitiveType column(String name, Encoder.Scalar<?> scalar) {
    return switch (scalar.kind()) {
      case STRING -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
      case LONG -> Types.optional(PrimitiveTypeName.INT64).named(name);
      case INT -> Types.optional(PrimitiveTypeName.INT32).named(name);
      case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE).named(name);
      case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
      case BYTES -> Types.optional(PrimitiveTypeName.BINARY).named(name);
    };
  }

  /** Why {@code fileColumn} cannot be read as {@code scalar}, or null if it can. */
  static String mismatch(Type fileColumn, Encoder.Scalar<?> scalar) {
    if (!fileColumn.isPrimitive() || fileColumn.isRepetition(Type.Repetition.REPEATED)) {
      return "column '" + fileColumn.getName() + "' is not a flat column (" + fileColumn + ")";
    }
    PrimitiveType have = fileColumn.asPrimitiveType();
    PrimitiveType want = column(fileColumn.getName(), scalar);
    boolean typeOk = have.getPrimitiveTypeName() == want.getPrimitiveTypeName();
    if (typeOk && have.getPrimitiveTypeName() == PrimitiveTypeName.BINARY) {
      boolean isString = have.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation;
      typeOk = isString == (scalar.kind() == Encoder.ScalarKind.STRING) || scalar.kind() == Encoder.ScalarKind.BYTES;
    }
    if (typeOk && have.getLogicalTypeAnnotation() != null
        && !(have.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation)
        && !(have.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation)) {
      typeOk = false; // decimals, dates, timestamps: not a plain scalar
    }
    return typeOk ? null : "column '" + fileColumn.getName() + "' is " + have.getPrimitiveTypeName()
        + (have.getLogicalTypeAnnotation() == null ? "" : " (" + have.getLogicalTypeAnnotation() + ")")
        + ", but the job reads it as " + scalar.describe();
  }
}
