package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged or hostile segment bytes fail with a clear exception and leak nothing. */
class SegmentCorruptionTest extends AllocatorTestBase {
  private static final Encoder<?> PAIRS = Encoders.pairs(Encoders.strings(), Encoders.longs());

  @TempDir Path dir;

  @Test
  void everyTruncationIsReported() throws Exception {
    byte[] segment = segment(PAIRS, pairs(12), new BatchLimits(5, BatchLimits.MAX_BYTES));
    for (int length = 1; length < segment.length; length++) {
      byte[] truncated = Arrays.copyOf(segment, length);
      CorruptShuffleDataException e = assertThrows(CorruptShuffleDataException.class,
          () -> SegmentReader.open(truncated, PAIRS, allocator, TestRecords.POLICY).close(),
          "truncated to " + length + " bytes");
      assertTrue(e.getMessage().startsWith("corrupt shuffle segment at byte "), e.getMessage());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void randomDamageNeverEscapesAsAnythingButCorruption() throws Exception {
    fuzz(PAIRS, pairs(23), 1);
    List<Object> points = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      points.add(i == 4 ? null : new TestRecords.Point(i, "p" + i));
    }
    fuzz(Encoders.java(TestRecords.Point.class), points, 2);
  }

  private void fuzz(Encoder<?> encoder, List<?> records, long seed) throws Exception {
    byte[] segment = segment(encoder, records, new BatchLimits(4, BatchLimits.MAX_BYTES));
    Random random = new Random(seed);
    int rejected = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] damaged = segment.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      try (SegmentReader reader = SegmentReader.open(damaged, encoder, allocator,
          TestRecords.POLICY)) {
        while (reader.hasNext()) {
          try {
            reader.next();
          } catch (UncheckedIOException e) {
            rejected++; // a damaged Java-serialised value
          }
        }
      } catch (CorruptShuffleDataException e) {
        rejected++;
      } catch (RuntimeException | Error e) {
        throw new AssertionError("round " + round + " of seed " + seed + " escaped", e);
      }
      assertEquals(0, allocator.getAllocatedMemory(), "round " + round);
    }
    assertTrue(rejected > 1000, "most damage should be detected, was " + rejected);
  }

  @Test
  void hugeMessageLengthIsRefusedWithoutAllocating() throws Exception {
    byte[] segment = segment(PAIRS, pairs(3), BatchLimits.DEFAULT);
    int batchStart = RecordLayout.of(PAIRS).schemaMessage().length;
    ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(batchStart + 4, Integer.MAX_VALUE);
    CorruptShuffleDataException e = assertThrows(CorruptShuffleDataException.class,
        () -> SegmentReader.open(segment, PAIRS, allocator, TestRecords.POLICY));
    assertTrue(e.getMessage().contains("claims " + Integer.MAX_VALUE), e.getMessage());
  }

  @Test
  void bytesAfterEndOfStreamAreRefused() throws Exception {
    byte[] segment = segment(PAIRS, pairs(3), BatchLimits.DEFAULT);
    byte[] longer = Arrays.copyOf(segment, segment.length + 5);
    CorruptShuffleDataException e = assertThrows(CorruptShuffleDataException.class,
        () -> SegmentReader.open(longer, PAIRS, allocator, TestRecords.POLICY));
    assertTrue(e.getMessage().contains("5 bytes after end-of-stream"), e.getMessage());
  }

  @Test
  void segmentOfAnotherEncoderIsRefused() throws Exception {
    byte[] longs = segment(Encoders.longs(), List.of(1L, 2L), BatchLimits.DEFAULT);
    CorruptShuffleDataException e = assertThrows(CorruptShuffleDataException.class,
        () -> SegmentReader.open(longs, Encoders.ints(), allocator, TestRecords.POLICY));
    assertTrue(e.getMessage().contains("schema of encoder int"), e.getMessage());
    byte[] points = segment(Encoders.java(TestRecords.Point.class),
        List.of(new TestRecords.Point(1, "a")), BatchLimits.DEFAULT);
    assertThrows(CorruptShuffleDataException.class, () -> SegmentReader.open(points,
        Encoders.javaUnchecked(ArrayList.class), allocator, TestRecords.POLICY));
  }

  /** One partition's segment, written through the real writer. */
  private byte[] segment(Encoder<?> encoder, List<?> records, BatchLimits limits)
      throws Exception {
    ShuffleFixture fixture = new ShuffleFixture(dir, allocator);
    fixture.write(encoder, List.of(records), limits);
    return Files.readAllBytes(fixture.data());
  }

  private static List<Object> pairs(int count) {
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(Pair.of(i % 3 == 0 ? null : "key" + i, i % 4 == 0 ? null : (long) i));
    }
    return records;
  }
}
