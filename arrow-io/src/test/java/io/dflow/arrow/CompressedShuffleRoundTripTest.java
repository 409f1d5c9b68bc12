package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.arrow.TestRecords.Point;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Map outputs written with LZ4 or zstd body compression read back exactly, through
 * {@link SegmentReader} and through Arrow's own stream reader with Arrow's own codecs (so the
 * files are standard Arrow IPC), for every encoder layout; segments Arrow's writer compresses
 * are read by {@link SegmentReader}; compressible data gets smaller.
 */
class CompressedShuffleRoundTripTest extends ShuffleTestBase {

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void scalarsWithNullsAndEmptyPartitions(Compression compression) throws Exception {
    fixture.roundTrip(Encoders.strings(), List.of(
        Arrays.asList("a", null, "", "naïve", "日本語", "😀 emoji", "tab\there", null),
        List.of(),
        Collections.nCopies(500, "the same words again and again")), BatchLimits.DEFAULT,
        compression);
    fixture.roundTrip(Encoders.longs(), List.of(
        Arrays.asList(Long.MIN_VALUE, -1L, 0L, null, Long.MAX_VALUE),
        longs(5000)), BatchLimits.DEFAULT, compression);
    fixture.roundTrip(Encoders.ints(), List.of(
        Arrays.asList(Integer.MIN_VALUE, null, 0, 42, Integer.MAX_VALUE), List.of()),
        BatchLimits.DEFAULT, compression);
    fixture.roundTrip(Encoders.doubles(), List.of(Arrays.asList(Double.NaN, -0.0, 0.0,
        Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.MIN_VALUE, null, 1.5)),
        BatchLimits.DEFAULT, compression);
    fixture.roundTrip(Encoders.booleans(), List.of(List.of(),
        Arrays.asList(true, false, null, true, true, false, false, true, null, true),
        IntStream.range(0, 3000).mapToObj(i -> i % 7 == 0 ? null : i % 3 == 0).toList()),
        BatchLimits.DEFAULT, compression);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void byteArraysIncompressibleOrNot(Compression compression) throws Exception {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    byte[] random = new byte[3 << 20]; // stored raw: compressing does not pay
    new Random(7).nextBytes(random);
    fixture.roundTrip(Encoders.bytes(), List.of(
        Arrays.asList(new byte[0], null, everyByte, random, new byte[] {0}),
        Collections.nCopies(100, everyByte)), BatchLimits.DEFAULT, compression);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void pairsWithNullKeysAndValues(Compression compression) throws Exception {
    fixture.roundTrip(Encoders.pairs(Encoders.strings(), Encoders.longs()), List.of(
        List.of(Pair.of("a", 1L), Pair.of(null, 2L), Pair.of("c", null), Pair.of(null, null)),
        List.of(),
        pairs(20_000)), BatchLimits.DEFAULT, compression);
    fixture.roundTrip(Encoders.pairs(Encoders.ints(), Encoders.bytes()), List.of(
        List.of(Pair.of(1, new byte[] {1, 2}), Pair.of(2, new byte[0]), Pair.of(3, null))),
        BatchLimits.DEFAULT, compression);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void javaSerialisedRecordsAndNestedPairs(Compression compression) throws Exception {
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      points.add(i % 10 == 0 ? null : new Point(i, "point " + (i % 5)));
    }
    fixture.roundTrip(Encoders.java(Point.class), List.of(points, List.of()), BatchLimits.DEFAULT,
        compression);
    Encoder<List<Long>> lists = Encoders.javaUnchecked(ArrayList.class);
    fixture.roundTrip(Encoders.pairs(Encoders.strings(), lists), List.of(
        List.of(Pair.of("k", new ArrayList<>(List.of(1L, 2L))), Pair.of("e", new ArrayList<>()))),
        BatchLimits.DEFAULT, compression);
    Encoder<?> nested = Encoders.pairs(Encoders.pairs(Encoders.strings(), Encoders.ints()),
        Encoders.java(Point.class));
    fixture.roundTrip(nested, List.of(List.of(
        Pair.of(Pair.of("a", 1), new Point(3, "p")), Pair.of(null, null),
        Pair.of(Pair.of(null, 2), new Point(4, null)))), BatchLimits.DEFAULT, compression);
  }

  /** The raw size a writer reports is what its segments' readers see, and a plain writer's file size. */
  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void rawBytesAreTheUncompressedSizeOnBothSides(Compression compression) throws Exception {
    List<List<Object>> partitions = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      List<Object> records = new ArrayList<>();
      for (long i = 0; i < 20_000; i++) {
        records.add(Pair.of("word-" + (i % 97), i % 13));
      }
      partitions.add(records);
    }
    Encoder<?> pairs = Encoders.pairs(Encoders.strings(), Encoders.longs());
    ShuffleWriteResult plain = fixture.write(pairs, partitions, BatchLimits.DEFAULT, Compression.NONE);
    assertEquals(plain.totalBytes(), plain.totalRawBytes());
    Files.delete(fixture.data());
    Files.delete(fixture.index());
    ShuffleWriteResult packed = fixture.write(pairs, partitions, BatchLimits.DEFAULT, compression);
    assertTrue(packed.totalBytes() * 3 < packed.totalRawBytes(), packed + " raw " + packed.totalRawBytes());
    assertTrue(Math.abs(packed.totalRawBytes() - plain.totalBytes()) < plain.totalBytes() / 50,
        "raw " + packed.totalRawBytes() + " against a plain file of " + plain.totalBytes());
    byte[] file = Files.readAllBytes(fixture.data());
    long read = 0;
    long offset = 0;
    for (int p = 0; p < 3; p++) {
      try (SegmentReader reader = SegmentReader.open(ByteBuffer.wrap(file, (int) offset, (int) packed.length(p)), pairs,
          allocator, TestRecords.POLICY)) {
        read += reader.rawBytes();
      }
      offset += packed.length(p);
    }
    assertEquals(packed.totalRawBytes(), read);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void allPartitionsEmpty(Compression compression) throws Exception {
    List<List<String>> empty = List.of(List.of(), List.of(), List.of());
    ShuffleWriteResult result = fixture.write(Encoders.strings(), empty, BatchLimits.DEFAULT,
        compression);
    assertEquals(0, result.totalBytes());
    fixture.roundTrip(Encoders.strings(), empty, BatchLimits.DEFAULT, compression);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void batchOfLargeStrings(Compression compression) throws Exception {
    String large = "ä€😀x".repeat(300_000); // 3 MB of UTF-8
    // One batch whose data buffer (9 MB) spans several LZ4 blocks, then one value per batch.
    List<String> one = Arrays.asList(large, "", null, large.substring(7), large);
    int[] batches = fixture.roundTrip(Encoders.strings(), List.of(one, List.of(large, large)),
        BatchLimits.DEFAULT, compression);
    assertArrayEquals(new int[] {1, 1}, batches);
    int[] split = fixture.roundTrip(Encoders.strings(), List.of(one),
        new BatchLimits(8192, 1 << 20), compression);
    assertEquals(3, split[0]);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void batchesSplitAtTheRowLimit(Compression compression) throws Exception {
    List<List<Integer>> small = List.of(ints(6), ints(7), ints(8), ints(15));
    assertArrayEquals(new int[] {1, 1, 2, 3}, fixture.roundTrip(Encoders.ints(), small,
        new BatchLimits(7, BatchLimits.MAX_BYTES), compression));
  }

  /** Arrow's own writer and codecs (arrow-compression) make segments that SegmentReader reads. */
  @ParameterizedTest
  @EnumSource(value = CompressionUtil.CodecType.class, names = {"LZ4_FRAME", "ZSTD"})
  void segmentsCompressedByArrowAreRead(CompressionUtil.CodecType codec) throws Exception {
    Encoder<?> encoder = Encoders.pairs(Encoders.strings(), Encoders.longs());
    RecordLayout layout = RecordLayout.of(encoder);
    List<Object> expected = new ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(layout.schema(), allocator);
        ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(bytes),
            IpcOption.DEFAULT, CommonsCompressionFactory.INSTANCE, codec)) {
      VarCharVector keys = (VarCharVector) root.getVector(0);
      BigIntVector values = (BigIntVector) root.getVector(1);
      writer.start();
      for (int batch = 0; batch < 3; batch++) {
        int rows = 1000 + batch;
        keys.allocateNew(rows);
        values.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
          String key = i % 9 == 0 ? null : "key " + (i % 50);
          Long value = i % 4 == 0 ? null : (long) i * batch;
          if (key == null) {
            keys.setNull(i);
          } else {
            keys.setSafe(i, key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          }
          if (value == null) {
            values.setNull(i);
          } else {
            values.set(i, value);
          }
          expected.add(Pair.of(key, value));
        }
        root.setRowCount(rows);
        writer.writeBatch();
      }
      writer.end();
    }
    byte[] segment = bytes.toByteArray();
    List<BatchRef> batches = SegmentParser.parse(ByteBuffer.wrap(segment), layout);
    assertEquals(3, batches.size());
    batches.forEach(b -> assertEquals(codec, b.codec()));
    try (SegmentReader reader = SegmentReader.open(segment, encoder, allocator, TestRecords.POLICY)) {
      List<Object> actual = new ArrayList<>();
      reader.forEachRemaining(actual::add);
      assertEquals(expected, actual);
    }
  }

  /** Our codecs also serve Arrow's reader, and decode what arrow-compression's codecs decode. */
  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void arrowsReaderWithOurCodecs(Compression compression) throws Exception {
    List<Object> records = pairs(5000);
    fixture.write(Encoders.pairs(Encoders.strings(), Encoders.longs()), List.of(records),
        BatchLimits.DEFAULT, compression);
    byte[] segment = Files.readAllBytes(fixture.data());
    assertEquals(records, StandardArrowDecoder.decode(segment, true, new boolean[2], allocator,
        BufferCodec.FACTORY));
    assertEquals(records, StandardArrowDecoder.decode(segment, true, new boolean[2], allocator,
        CommonsCompressionFactory.INSTANCE));
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void compressibleSegmentsGetSmaller(Compression compression) throws Exception {
    Encoder<?> encoder = Encoders.pairs(Encoders.strings(), Encoders.longs());
    List<List<Object>> partitions = List.of(pairs(50_000), pairs(3000));
    long[] plain = fixture.write(encoder, partitions, BatchLimits.DEFAULT).lengths();
    long[] packed = fixture.write(encoder, partitions, BatchLimits.DEFAULT, compression).lengths();
    for (int p = 0; p < plain.length; p++) {
      System.out.printf("%s: partition %d of %d records: %d bytes uncompressed, %d compressed%n",
          compression, p, partitions.get(p).size(), plain[p], packed[p]);
      assertTrue(packed[p] * 2 < plain[p], compression + " partition " + p + ": " + packed[p]
          + " bytes compressed, " + plain[p] + " uncompressed");
    }
  }

  /** Past its batch's budget a buffer is left raw (-1); the empty buffer has prefix 0. */
  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void bufferPastTheBatchBudgetIsLeftRaw(Compression compression) throws Exception {
    BufferCodec codec = BufferCodec.forWriting(compression);
    codec.startBatch(1000);
    assertEquals(600, prefixOf(codec, 600));
    assertEquals(BufferCodec.RAW, prefixOf(codec, 600)); // 1200 would pass the budget
    assertEquals(400, prefixOf(codec, 400));
    assertEquals(0, prefixOf(codec, 0));
    codec.startBatch();
    assertEquals(600, prefixOf(codec, 600));
  }

  /**
   * A place in the batch whose buffers do not compress is stored raw, untried, for 1, then 2
   * batches after its second and third misses (a compressible buffer there is stored raw too,
   * which shows it was not tried), then tried again; another place keeps compressing.
   */
  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
  void aPlaceWhoseBuffersDoNotCompressIsStoredRawUntriedForAWhile(Compression compression) throws Exception {
    BufferCodec codec = BufferCodec.forWriting(compression);
    java.util.Random random = new java.util.Random(3);
    String[] place0 = {"random", "random", "zeros", "random", "zeros", "zeros", "zeros"};
    long[] expected = {BufferCodec.RAW, BufferCodec.RAW, BufferCodec.RAW, BufferCodec.RAW, BufferCodec.RAW,
        BufferCodec.RAW, 4096};
    for (int batch = 0; batch < place0.length; batch++) {
      codec.startBatch();
      assertEquals(expected[batch], prefixOf(codec, 4096, place0[batch].equals("random") ? random : null),
          "batch " + batch + ", place 0 (" + place0[batch] + ")");
      assertEquals(4096, prefixOf(codec, 4096, null), "batch " + batch + ", place 1 keeps compressing");
    }
  }

  /** The prefix {@code codec} stores for {@code length} compressible bytes. */  /** The prefix {@code codec} stores for {@code length} compressible bytes. */
  private long prefixOf(BufferCodec codec, int length) {
    return prefixOf(codec, length, null);
  }

  /** The prefix {@code codec} stores for {@code length} bytes: zeros, or random ones drawn from {@code random}. */
  private long prefixOf(BufferCodec codec, int length, java.util.Random random) {
    org.apache.arrow.memory.ArrowBuf raw = allocator.buffer(Math.max(length, 1));
    raw.setZero(0, raw.capacity());
    if (random != null) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      raw.setBytes(0, bytes);
    }
    raw.writerIndex(length);
    try (org.apache.arrow.memory.ArrowBuf stored = codec.compress(allocator, raw)) {
      return stored.nioBuffer(0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }
  }

  static List<Object> pairs(int count) {
    List<Object> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(Pair.of(i % 13 == 0 ? null : "word" + (i % 100), i % 7 == 0 ? null : (long) (i % 1000)));
    }
    return records;
  }

  private static List<Integer> ints(int count) {
    return IntStream.range(0, count).boxed().toList();
  }

  private static List<Long> longs(int count) {
    return IntStream.range(0, count).mapToObj(i -> (long) i).toList();
  }
}
