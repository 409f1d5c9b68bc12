package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.arrow.flatbuf.BodyCompressionMethod;
import org.apache.arrow.flatbuf.CompressionType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.message.ArrowBodyCompression;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damaged or hostile compressed segments: every flipped byte and every truncation of a real
 * segment is refused with a {@link CorruptShuffleDataException} (or, where the byte did not
 * matter, decodes to exactly the records written); crafted batches whose prefixes lie, whose
 * frames are garbage or whose codec is unknown are refused, the bounds before any allocation;
 * nothing leaks.
 */
class CompressedSegmentCorruptionTest extends AllocatorTestBase {
  private static final Encoder<?> PAIRS = Encoders.pairs(Encoders.strings(), Encoders.longs());
  private static final Encoder<?> STRINGS = Encoders.strings();

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void everyFlippedByteIsRefusedOrHarmless(Compression compression) throws Exception {
    List<Object> records = pairs(600);
    byte[] segment = segment(PAIRS, records, BatchLimits.DEFAULT, compression);
    List<BatchRef> batches = SegmentParser.parse(ByteBuffer.wrap(segment), RecordLayout.of(PAIRS));
    assertNoRawBuffers(segment, batches); // so that every byte of data is under a checksum
    List<Object> expected = TestRecords.canonical(records);
    int refused = 0;
    int harmless = 0;
    for (int mask : new int[] {0xFF, 0x01}) {
      for (int i = 0; i < segment.length; i++) {
        byte[] damaged = segment.clone();
        damaged[i] ^= (byte) mask;
        List<Object> decoded;
        try {
          decoded = readAll(damaged, PAIRS, allocator);
        } catch (CorruptShuffleDataException e) {
          assertTrue(e.getMessage().startsWith("corrupt shuffle segment at byte "), e.getMessage());
          refused++;
          continue;
        } catch (RuntimeException | Error e) {
          throw new AssertionError("byte " + i + " ^ " + mask + " escaped", e);
        } finally {
          assertEquals(0, allocator.getAllocatedMemory(), "byte " + i);
        }
        assertEquals(expected, TestRecords.canonical(decoded), "byte " + i + " ^ " + mask
            + " of " + segment.length + " decoded to other records");
        harmless++;
      }
    }
    System.out.printf("%s: %d-byte segment, flips refused %d, harmless %d%n", compression,
        segment.length, refused, harmless);
    assertTrue(refused > harmless * 4, refused + " refused, " + harmless + " harmless");
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void everyTruncationIsRefused(Compression compression) throws Exception {
    byte[] segment = segment(PAIRS, pairs(200), new BatchLimits(80, BatchLimits.MAX_BYTES),
        compression);
    for (int length = 1; length < segment.length; length++) {
      byte[] truncated = Arrays.copyOf(segment, length);
      CorruptShuffleDataException e = assertThrows(CorruptShuffleDataException.class,
          () -> readAll(truncated, PAIRS, allocator), "truncated to " + length + " bytes");
      assertTrue(e.getMessage().startsWith("corrupt shuffle segment at byte "), e.getMessage());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void prefixClaimingTwoGibibytesIsRefusedBeforeAllocating(Compression compression)
      throws Exception {
    byte[] segment = segment(PAIRS, pairs(500), BatchLimits.DEFAULT, compression);
    BatchRef batch = SegmentParser.parse(ByteBuffer.wrap(segment), RecordLayout.of(PAIRS)).get(0);
    for (int b = 0; b < batch.bufferOffsets().length; b++) {
      byte[] hostile = segment.clone();
      ByteBuffer.wrap(hostile).order(ByteOrder.LITTLE_ENDIAN)
          .putLong(batch.bodyStart() + (int) batch.bufferOffsets()[b], 1L << 31);
      CorruptShuffleDataException e = openWithoutAllocating(hostile, PAIRS);
      assertTrue(e.getMessage().contains("at byte " + batch.messageStart()), e.getMessage());
      assertTrue(e.getMessage().contains("claims 2147483648 uncompressed bytes"), e.getMessage());
    }
  }

  @Test
  void batchWhoseBuffersTogetherClaimTooMuchIsRefusedBeforeAllocating() throws Exception {
    // 40 million longs: each buffer within what its role may need, together over the bound.
    int rows = 40_000_000;
    byte[] segment = craft(Encoders.longs(), rows, List.of(node(rows, 0)), zstd(),
        prefixOnly(rows / 8), prefixOnly(rows * 8L));
    CorruptShuffleDataException e = openWithoutAllocating(segment, Encoders.longs());
    assertTrue(e.getMessage().contains("claims more than " + BufferCodec.MAX_BATCH_BYTES),
        e.getMessage());
  }

  @Test
  void unknownCodecOrMethodIsRefused() throws Exception {
    byte[] validity = stored(new byte[] {1}, CompressionType.ZSTD);
    byte[] data = stored(new byte[8], CompressionType.ZSTD);
    byte[] unknownCodec = craft(Encoders.longs(), 1, List.of(node(1, 0)),
        new ArrowBodyCompression((byte) 2, BodyCompressionMethod.BUFFER), validity, data);
    assertTrue(openWithoutAllocating(unknownCodec, Encoders.longs()).getMessage()
        .contains("unknown codec id 2"));
    byte[] unknownMethod = craft(Encoders.longs(), 1, List.of(node(1, 0)),
        new ArrowBodyCompression(CompressionType.ZSTD, (byte) 1), validity, data);
    assertTrue(openWithoutAllocating(unknownMethod, Encoders.longs()).getMessage()
        .contains("unknown method 1"));
  }

  @Test
  void bufferTooShortForItsPrefixIsRefused() throws Exception {
    byte[] segment = craft(Encoders.longs(), 1, List.of(node(1, 0)), zstd(), new byte[5],
        stored(new byte[8], CompressionType.ZSTD));
    assertTrue(openWithoutAllocating(segment, Encoders.longs()).getMessage()
        .contains("validity buffer of 5 bytes is too short"));
  }

  @Test
  void uncompressedLengthTooSmallForTheRowsIsRefused() throws Exception {
    byte[] segment = craft(Encoders.longs(), 16, List.of(node(16, 0)), zstd(),
        stored(new byte[] {-1, -1}, CompressionType.ZSTD),
        stored(new byte[64], CompressionType.ZSTD));
    assertTrue(openWithoutAllocating(segment, Encoders.longs()).getMessage()
        .contains("data buffer too small for 16 rows"));
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void frameOfAnotherLengthThanAnnouncedIsRefusedWhenLoaded(Compression compression)
      throws Exception {
    byte type = compression == Compression.LZ4 ? CompressionType.LZ4_FRAME : CompressionType.ZSTD;
    ArrowBodyCompression codec = new ArrowBodyCompression(type, BodyCompressionMethod.BUFFER);
    byte[] validity = stored(new byte[] {-1, -1}, type);
    int batchStart = RecordLayout.of(Encoders.longs()).schemaMessage().length;
    // The frame holds 128 bytes; its prefix says 136, then 120.
    for (long announced : new long[] {136, 120}) {
      byte[] data = stored(longs(16), type);
      ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putLong(0, announced);
      byte[] segment = craft(Encoders.longs(), announced == 136 ? 17 : 15,
          List.of(node(announced == 136 ? 17 : 15, 0)), codec,
          stored(new byte[] {-1, -1, -1}, type), data);
      assertCorruptWhenRead(segment, Encoders.longs(), batchStart,
          "the " + announced + " bytes announced");
    }
    // Garbage where the frame should be, behind a plausible prefix.
    byte[] garbage = new byte[40];
    new Random(5).nextBytes(garbage);
    ByteBuffer.wrap(garbage).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 128);
    byte[] segment = craft(Encoders.longs(), 16, List.of(node(16, 0)), codec, validity, garbage);
    assertCorruptWhenRead(segment, Encoders.longs(), batchStart, "frame");
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void decreasingDecompressedOffsetsAreRefusedBeforeAnyValueIsRead(Compression compression)
      throws Exception {
    byte type = compression == Compression.LZ4 ? CompressionType.LZ4_FRAME : CompressionType.ZSTD;
    ArrowBodyCompression codec = new ArrowBodyCompression(type, BodyCompressionMethod.BUFFER);
    int batchStart = RecordLayout.of(STRINGS).schemaMessage().length;
    byte[] decreasing = craft(STRINGS, 3, List.of(node(3, 0)), codec,
        stored(new byte[] {7}, type), stored(offsets(0, 5, 2, 6), type),
        stored(new byte[6], type));
    assertCorruptWhenRead(decreasing, STRINGS, batchStart, "offsets decrease at row 2");
    byte[] beyond = craft(STRINGS, 3, List.of(node(3, 0)), codec, stored(new byte[] {7}, type),
        stored(offsets(0, 1, 2, 100), type), stored(new byte[6], type));
    assertCorruptWhenRead(beyond, STRINGS, batchStart, "offsets reach byte 100");
  }

  /** Raw (-1), empty (prefix 0 or zero bytes) and compressed buffers mixed in one valid batch. */
  @Test
  void craftedBatchMixingRawEmptyAndCompressedBuffersIsRead() throws Exception {
    byte[] validity = stored(new byte[] {1}, CompressionType.LZ4_FRAME);
    byte[] offsets = stored(offsets(0, 2, 2), CompressionType.LZ4_FRAME);
    byte[] data = raw("hi".getBytes(StandardCharsets.US_ASCII));
    ArrowBodyCompression lz4 = new ArrowBodyCompression(CompressionType.LZ4_FRAME,
        BodyCompressionMethod.BUFFER);
    byte[] segment = craft(STRINGS, 2, List.of(node(2, 1)), lz4, validity, offsets, data);
    assertEquals(Arrays.asList("hi", null), readAll(segment, STRINGS, allocator));
    byte[] empties = craft(STRINGS, 2, List.of(node(2, 0)), lz4, new byte[0],
        stored(offsets(0, 0, 0), CompressionType.LZ4_FRAME), prefixOnly(0));
    assertEquals(Arrays.asList("", ""), readAll(empties, STRINGS, allocator));
  }

  @Test
  void failedBatchKeepsFailingAndLeaksNothing() throws Exception {
    ArrowBodyCompression zstd = zstd();
    byte[] data = stored(longs(16), CompressionType.ZSTD);
    data[data.length - 1] ^= 0x55; // damages the frame's checksum
    byte[] segment = craft(Encoders.longs(), 16, List.of(node(16, 0)), zstd,
        stored(new byte[] {-1, -1}, CompressionType.ZSTD), data);
    try (SegmentReader reader =
        SegmentReader.open(segment, Encoders.longs(), allocator, TestRecords.POLICY)) {
      UncheckedIOException first = assertThrows(UncheckedIOException.class, reader::hasNext);
      assertTrue(first.getCause() instanceof CorruptShuffleDataException, first.toString());
      assertThrows(UncheckedIOException.class, reader::next);
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  /** Every record of {@code segment}; a corrupt batch found while reading is rethrown as is. */
  private static List<Object> readAll(byte[] segment, Encoder<?> encoder,
      BufferAllocator allocator) throws Exception {
    try (SegmentReader reader = SegmentReader.open(segment, encoder, allocator, TestRecords.POLICY)) {
      List<Object> records = new ArrayList<>();
      try {
        reader.forEachRemaining(records::add);
      } catch (UncheckedIOException e) {
        if (e.getCause() instanceof CorruptShuffleDataException corrupt) {
          throw corrupt;
        }
        throw e;
      }
      return records;
    }
  }

  /** Asserts that opening {@code segment} fails and allocates nothing at all; returns the failure. */
  private CorruptShuffleDataException openWithoutAllocating(byte[] segment, Encoder<?> encoder) {
    try (BufferAllocator reading = allocator.newChildAllocator("reading", 0, Long.MAX_VALUE)) {
      CorruptShuffleDataException e = assertThrows(CorruptShuffleDataException.class,
          () -> SegmentReader.open(segment, encoder, reading, TestRecords.POLICY).close());
      assertEquals(0, reading.getPeakMemoryAllocation(), "allocated before refusing");
      return e;
    }
  }

  private void assertCorruptWhenRead(byte[] segment, Encoder<?> encoder, int batchStart,
      String expected) throws Exception {
    try (SegmentReader reader = SegmentReader.open(segment, encoder, allocator, TestRecords.POLICY)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, reader::hasNext);
      CorruptShuffleDataException cause = (CorruptShuffleDataException) e.getCause();
      assertTrue(cause.getMessage().startsWith("corrupt shuffle segment at byte " + batchStart),
          cause.getMessage());
      assertTrue(cause.getMessage().contains(expected), cause.getMessage());
    }
    assertEquals(0, allocator.getAllocatedMemory());
  }

  private static void assertNoRawBuffers(byte[] segment, List<BatchRef> batches) {
    ByteBuffer bytes = ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN);
    for (BatchRef batch : batches) {
      for (int b = 0; b < batch.bufferOffsets().length; b++) {
        long prefix = bytes.getLong(batch.bodyStart() + (int) batch.bufferOffsets()[b]);
        assertNotEquals(BufferCodec.RAW, prefix, "buffer " + b + " is stored raw");
      }
    }
  }

  /** One partition's segment, written through the real writer. */
  private byte[] segment(Encoder<?> encoder, List<?> records, BatchLimits limits,
      Compression compression) throws Exception {
    ShuffleFixture fixture = new ShuffleFixture(dir, allocator);
    fixture.write(encoder, List.of(records), limits, compression);
    return Files.readAllBytes(fixture.data());
  }

  private static ArrowBodyCompression zstd() {
    return new ArrowBodyCompression(CompressionType.ZSTD, BodyCompressionMethod.BUFFER);
  }

  /** {@code content} as a stored compressed buffer: its length, then one frame of {@code type}. */
  private static byte[] stored(byte[] content, byte type) throws Exception {
    byte[] frame;
    if (type == CompressionType.ZSTD) {
      frame = Zstd.compress(content);
    } else {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out)) {
        lz4.write(content);
      }
      frame = out.toByteArray();
    }
    ByteBuffer buffer = ByteBuffer.allocate(8 + frame.length).order(ByteOrder.LITTLE_ENDIAN);
    return buffer.putLong(content.length).put(frame).array();
  }

  /** {@code content} stored raw: prefix -1, then the bytes. */
  private static byte[] raw(byte[] content) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + content.length).order(ByteOrder.LITTLE_ENDIAN);
    return buffer.putLong(-1).put(content).array();
  }

  /** A buffer that is only a prefix announcing {@code length} bytes (and 8 bytes of junk). */
  private static byte[] prefixOnly(long length) {
    ByteBuffer buffer = ByteBuffer.allocate(length == 0 ? 8 : 16).order(ByteOrder.LITTLE_ENDIAN);
    return buffer.putLong(length).array();
  }

  private static ArrowFieldNode node(long length, long nullCount) {
    return new ArrowFieldNode(length, nullCount);
  }

  private static byte[] offsets(int... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Integer.BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (int value : values) {
      buffer.putInt(value);
    }
    return buffer.array();
  }

  private static byte[] longs(int count) {
    ByteBuffer buffer = ByteBuffer.allocate(count * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      buffer.putLong(i * 3L);
    }
    return buffer.array();
  }

  private static List<Object> pairs(int count) {
    List<Object> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(Pair.of(i % 3 == 0 ? null : "key" + (i % 40), i % 4 == 0 ? null : (long) i));
    }
    return records;
  }
}
