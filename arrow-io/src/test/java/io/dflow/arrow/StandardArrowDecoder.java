package io.dflow.arrow;

import io.dflow.api.Pair;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.util.Text;

/**
 * Reference decoder for the tests: reads a segment with Arrow's own stream reader and
 * {@code getObject}, independently of {@link SegmentReader}. Binary columns are decoded as Java
 * serialisation when {@code javaColumns} says so. Compressed batches are decompressed by Arrow's
 * own codecs ({@code arrow-compression}'s {@link CommonsCompressionFactory}) unless told otherwise.
 */
final class StandardArrowDecoder {
  private StandardArrowDecoder() {}

  static List<Object> decode(byte[] segment, boolean pair, boolean[] javaColumns,
      BufferAllocator allocator) throws Exception {
    return decode(segment, pair, javaColumns, allocator, CommonsCompressionFactory.INSTANCE);
  }

  /** Decodes with Arrow's reader, decompressing compressed batches with {@code codecs}' codecs. */
  static List<Object> decode(byte[] segment, boolean pair, boolean[] javaColumns,
      BufferAllocator allocator, CompressionCodec.Factory codecs) throws Exception {
    List<Object> records = new ArrayList<>();
    if (segment.length == 0) {
      return records;
    }
    try (ArrowStreamReader reader =
        new ArrowStreamReader(new ByteArrayInputStream(segment), allocator, codecs)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      while (reader.loadNextBatch()) {
        for (int row = 0; row < root.getRowCount(); row++) {
          Object first = value(root.getVector(0), row, javaColumns[0]);
          records.add(pair ? Pair.of(first, value(root.getVector(1), row, javaColumns[1])) : first);
        }
      }
    }
    return records;
  }

  private static Object value(FieldVector vector, int row, boolean java) throws Exception {
    Object value = vector.getObject(row);
    if (value instanceof Text text) {
      return text.toString();
    }
    if (java && value != null) {
      byte[] bytes = ((VarBinaryVector) vector).get(row);
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        return in.readObject();
      } catch (IOException e) {
        throw new AssertionError("reference decoder failed", e);
      }
    }
    return value;
  }
}
