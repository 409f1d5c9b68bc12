package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dflow.api.Encoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionUtil;

/** Writes a map output and reads every partition back, checking the files on the way. */
final class ShuffleFixture {
  private final Path dir;
  private final BufferAllocator allocator;

  ShuffleFixture(Path dir, BufferAllocator allocator) {
    this.dir = dir;
    this.allocator = allocator;
  }

  Path data() {
    return dir.resolve("shuffle_0_0.data");
  }

  Path index() {
    return dir.resolve("shuffle_0_0.index");
  }

  ShuffleWriteResult write(Encoder<?> encoder, List<? extends List<?>> partitions,
      BatchLimits limits) throws IOException {
    return write(encoder, partitions, limits, Compression.NONE);
  }

  ShuffleWriteResult write(Encoder<?> encoder, List<? extends List<?>> partitions,
      BatchLimits limits, Compression compression) throws IOException {
    return new ShuffleFileWriter(encoder, allocator, limits, compression)
        .write(data(), index(), partitions.size(), p -> partitions.get(p).iterator());
  }

  /**
   * Writes {@code partitions}, checks the index and result against the file, and asserts that
   * both {@link SegmentReader} and Arrow's own reader return exactly the records written.
   *
   * @return the batch count of each partition
   */
  int[] roundTrip(Encoder<?> encoder, List<? extends List<?>> partitions, BatchLimits limits)
      throws Exception {
    return roundTrip(encoder, partitions, limits, Compression.NONE);
  }

  /**
   * Like {@link #roundTrip(Encoder, List, BatchLimits)} for a writer with {@code compression},
   * also checking that every record batch says it is compressed with the matching Arrow codec
   * (none for {@link Compression#NONE}); Arrow's reader decompresses with Arrow's own codecs.
   */
  int[] roundTrip(Encoder<?> encoder, List<? extends List<?>> partitions, BatchLimits limits,
      Compression compression) throws Exception {
    ShuffleWriteResult result = write(encoder, partitions, limits, compression);
    byte[] file = Files.readAllBytes(data());
    ShuffleIndex index = ShuffleIndex.read(index(), data());
    assertEquals(file.length, result.totalBytes());
    assertEquals(partitions.size(), index.numPartitions());
    assertEquals(List.of(data(), index()), listDir(), "no temporary files left");

    RecordLayout layout = RecordLayout.of(encoder);
    boolean[] javaColumns = new boolean[layout.columnCount()];
    for (int c = 0; c < javaColumns.length; c++) {
      javaColumns[c] = layout.column(c) == ColumnKind.JAVA_SERIALIZED;
    }
    int[] batches = new int[partitions.size()];
    long expectedOffset = 0;
    for (int p = 0; p < partitions.size(); p++) {
      assertEquals(expectedOffset, index.offset(p), "offset of partition " + p);
      assertEquals(result.length(p), index.length(p), "length of partition " + p);
      assertEquals(partitions.get(p).size(), result.recordCount(p), "records of partition " + p);
      expectedOffset += index.length(p);
      byte[] segment = Arrays.copyOfRange(file, (int) index.offset(p),
          (int) (index.offset(p) + index.length(p)));
      for (BatchRef batch : SegmentParser.parse(ByteBuffer.wrap(segment), layout)) {
        assertEquals(codecOf(compression), batch.codec(), "codec of partition " + p);
      }
      List<Object> expected = TestRecords.canonical(partitions.get(p));
      assertEquals(expected, TestRecords.canonical(
          StandardArrowDecoder.decode(segment, layout.isPair(), javaColumns, allocator)),
          "Arrow's reader, partition " + p);
      // Read through a window of the whole file to check that only position..limit is used.
      ByteBuffer window = ByteBuffer.wrap(file, (int) index.offset(p), (int) index.length(p));
      try (SegmentReader reader =
          SegmentReader.open(window, encoder, allocator, TestRecords.POLICY)) {
        assertEquals(partitions.get(p).size(), reader.recordCount());
        List<Object> actual = new ArrayList<>();
        reader.forEachRemaining(actual::add);
        assertEquals(expected, TestRecords.canonical(actual), "SegmentReader, partition " + p);
        batches[p] = reader.batchCount();
      }
      // And straight from the file, a piece at a time, as a reduce task reads its own executor's segments.
      try (SegmentReader reader = SegmentReader.open(SegmentSource.ofFile(data(), index.offset(p), index.length(p)),
          encoder, allocator, TestRecords.POLICY)) {
        List<Object> actual = new ArrayList<>();
        reader.forEachRemaining(actual::add);
        assertEquals(expected, TestRecords.canonical(actual), "SegmentReader from the file, partition " + p);
      }
    }
    assertEquals(file.length, expectedOffset);
    return batches;
  }

  /** The Arrow codec a writer with {@code compression} names in its batches; null for none. */
  static CompressionUtil.CodecType codecOf(Compression compression) {
    return switch (compression) {
      case LZ4 -> CompressionUtil.CodecType.LZ4_FRAME;
      case ZSTD -> CompressionUtil.CodecType.ZSTD;
      case NONE -> null;
    };
  }

  List<Path> listDir() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
