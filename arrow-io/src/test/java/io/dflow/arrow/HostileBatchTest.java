package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.junit.jupiter.api.Test;

/** Well-framed record batches whose contents lie, as a hostile peer could send them. */
class HostileBatchTest extends AllocatorTestBase {

  @Test
  void rowCountLargerThanTheBuffersIsRefused() throws Exception {
    byte[] segment = craft(Encoders.longs(), 1_000_000_000, List.of(node(1_000_000_000, 0)),
        new byte[0], new byte[8]);
    assertCorrupt(segment, Encoders.longs(), "data buffer too small");
  }

  @Test
  void partialNullsWithoutValidityBufferAreRefused() throws Exception {
    byte[] segment = craft(Encoders.longs(), 16, List.of(node(16, 3)), new byte[0], new byte[128]);
    assertCorrupt(segment, Encoders.longs(), "validity buffer too small");
  }

  @Test
  void decreasingOffsetsAreRefused() throws Exception {
    byte[] segment = craft(Encoders.strings(), 3, List.of(node(3, 0)), new byte[] {7},
        offsets(0, 5, 2, 6), new byte[6]);
    assertCorrupt(segment, Encoders.strings(), "offsets decrease at row 2");
  }

  @Test
  void offsetsBeyondTheDataAreRefused() throws Exception {
    byte[] segment = craft(Encoders.bytes(), 3, List.of(node(3, 0)), new byte[] {7},
        offsets(0, 1, 2, 100), new byte[6]);
    assertCorrupt(segment, Encoders.bytes(), "offsets reach byte 100");
    byte[] negative = craft(Encoders.bytes(), 1, List.of(node(1, 0)), new byte[] {1},
        offsets(-4, 0), new byte[6]);
    assertCorrupt(negative, Encoders.bytes(), "first offset is negative");
  }

  @Test
  void wrongColumnCountIsRefused() throws Exception {
    byte[] segment = craft(Encoders.longs(), 1, List.of(node(1, 0), node(1, 0)),
        new byte[] {1}, new byte[8], new byte[] {1}, new byte[8]);
    assertCorrupt(segment, Encoders.longs(), "2 columns and 4 buffers");
  }

  @Test
  void craftedButValidBatchIsRead() throws Exception {
    byte[] segment = craft(Encoders.strings(), 2, List.of(node(2, 1)), new byte[] {1},
        offsets(0, 2, 2), "hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    try (SegmentReader reader =
        SegmentReader.open(segment, Encoders.strings(), allocator, TestRecords.POLICY)) {
      List<Object> records = new ArrayList<>();
      reader.forEachRemaining(records::add);
      assertEquals(java.util.Arrays.asList("hi", null), records);
    }
  }

  private void assertCorrupt(byte[] segment, Encoder<?> encoder, String expected) {
    CorruptShuffleDataException e = assertThrows(CorruptShuffleDataException.class,
        () -> SegmentReader.open(segment, encoder, allocator, TestRecords.POLICY));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static ArrowFieldNode node(long length, long nullCount) {
    return new ArrowFieldNode(length, nullCount);
  }

  private static byte[] offsets(int... values) {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(values.length * Integer.BYTES)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int value : values) {
      buffer.putInt(value);
    }
    return buffer.array();
  }
}
