package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** Batches packed by {@link RecordBatcher} read back through Arrow's own vectors, batch after batch. */
class RecordBatcherTest extends AllocatorTestBase {

  @Test
  void batchesReadByArrowHoldEveryRowWithItsNulls() throws Exception {
    Random random = new Random(3);
    try (RecordBatcher batcher = new RecordBatcher(Encoders.pairs(Encoders.strings(), Encoders.bytes()),
        allocator, new BatchLimits(1000, 1L << 20))) {
      for (int batch = 0; batch < 3; batch++) {
        List<Pair<String, byte[]>> written = new ArrayList<>();
        int rows = batch == 1 ? 1 : 700 + batch; // the second batch is far smaller than the first
        for (int i = 0; i < rows; i++) {
          String key = i % 7 == 3 ? null : "k" + batch + "-" + i;
          byte[] value = i % 5 == 1 ? null : new byte[random.nextInt(i % 11 == 0 ? 5000 : 9)];
          if (value != null) {
            random.nextBytes(value);
          }
          written.add(Pair.of(key, value));
          batcher.add(Pair.of(key, value));
        }
        VectorSchemaRoot root = batcher.root();
        assertEquals(rows, root.getRowCount());
        assertRows(written, root);
        assertRows(written, batcher.root()); // asking again gives the same batch
        batcher.clear();
        assertEquals(0, batcher.root().getRowCount());
      }
    }
  }

  @Test
  void aRecordThatDoesNotMatchLeavesTheBatchAsItWas() throws Exception {
    try (RecordBatcher batcher = new RecordBatcher(Encoders.pairs(Encoders.bytes(), Encoders.bytes()),
        allocator, BatchLimits.DEFAULT)) {
      batcher.add(Pair.of(new byte[] {1}, new byte[] {2}));
      Pair<Object, Object> bad = Pair.of(new byte[] {9, 9}, "not bytes");
      assertThrows(IllegalArgumentException.class, () -> batcher.add(bad));
      batcher.add(Pair.of(new byte[] {3}, new byte[0]));
      VectorSchemaRoot root = batcher.root();
      assertEquals(2, root.getRowCount());
      VarBinaryVector keys = (VarBinaryVector) root.getVector(0);
      VarBinaryVector values = (VarBinaryVector) root.getVector(1);
      assertArrayEquals(new byte[] {1}, keys.get(0));
      assertArrayEquals(new byte[] {3}, keys.get(1));
      assertArrayEquals(new byte[] {2}, values.get(0));
      assertArrayEquals(new byte[0], values.get(1));
    }
  }

  private static void assertRows(List<Pair<String, byte[]>> written, VectorSchemaRoot root) {
    VarCharVector keys = (VarCharVector) root.getVector(0);
    VarBinaryVector values = (VarBinaryVector) root.getVector(1);
    assertEquals(written.size(), keys.getValueCount());
    for (int i = 0; i < written.size(); i++) {
      Pair<String, byte[]> pair = written.get(i);
      if (pair.key() == null) {
        assertTrue(keys.isNull(i), "row " + i);
      } else {
        assertEquals(pair.key(), new String(keys.get(i), StandardCharsets.UTF_8), "row " + i);
      }
      if (pair.value() == null) {
        assertNull(values.get(i), "row " + i);
      } else {
        assertArrayEquals(pair.value(), values.get(i), "row " + i);
      }
    }
  }
}
