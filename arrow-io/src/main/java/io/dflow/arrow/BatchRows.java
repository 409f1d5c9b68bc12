package io.dflow.arrow;

import io.dflow.api.Encoder;
import java.io.IOException;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Reads records of an encoder (a scalar, or a pair of scalars) from chosen vectors of a batch,
 * one vector per field in order: the bridge from a columnar file's batches to records. Bound
 * once; it reads whatever batch is loaded in the vectors. Not thread safe.
 */
public final class BatchRows {
  /** Scalar columns never deserialise objects. */
  private static final DeserializationPolicy NO_OBJECTS = new DeserializationPolicy(
      BatchRows.class.getClassLoader(), info -> java.io.ObjectInputFilter.Status.REJECTED);
  private final RecordReader reader;

  private BatchRows(RecordReader reader) {
    this.reader = reader;
  }

  /**
   * Binds {@code vectors} to {@code encoder}'s fields.
   *
   * @throws IllegalArgumentException naming the column if a vector's type is not the field's
   */
  public static BatchRows bind(List<FieldVector> vectors, Encoder<?> encoder) {
    RecordLayout layout = RecordLayout.of(encoder);
    if (vectors.size() != layout.columnCount()) {
      throw new IllegalArgumentException(encoder.describe() + " records need " + layout.columnCount()
          + " columns, got " + vectors.size());
    }
    for (int i = 0; i < vectors.size(); i++) {
      Field want = layout.schema().getFields().get(i);
      Field have = vectors.get(i).getField();
      if (!want.getType().equals(have.getType())) {
        throw new IllegalArgumentException("column '" + have.getName() + "' is " + have.getType()
            + ", but the job reads it as " + layout.column(i).name().toLowerCase(java.util.Locale.ROOT)
            + " (" + want.getType() + ")");
      }
    }
    return new BatchRows(RecordReader.bind(layout, new VectorSchemaRoot(vectors), NO_OBJECTS));
  }

  /** The record at {@code row} of the loaded batch. */
  public Object read(int row) throws IOException {
    return reader.read(row);
  }
}
