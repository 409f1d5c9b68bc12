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
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SegmentSource#ofFile}: a segment read from its file a piece at a time; a file cut short
 * before the reader opens it, or while it reads, is a {@link CorruptShuffleDataException} naming
 * the file; a message that claims more metadata than a message may have is refused before any of
 * it is read.
 */
class SegmentSourceTest extends AllocatorTestBase {
  private static final Encoder<?> PAIRS = Encoders.pairs(Encoders.strings(), Encoders.longs());

  @TempDir Path dir;

  private ShuffleFixture writeOnePartition(int records) throws Exception {
    List<Object> pairs = new ArrayList<>();
    for (long i = 0; i < records; i++) {
      pairs.add(Pair.of("key-" + i, i));
    }
    ShuffleFixture fixture = new ShuffleFixture(dir, allocator);
    fixture.write(PAIRS, List.of(pairs), new BatchLimits(1000, 1 << 20), Compression.LZ4);
    return fixture;
  }

  @Test
  void aFileShorterThanItsSegmentIsNamed() throws Exception {
    ShuffleFixture fixture = writeOnePartition(5000);
    long length = Files.size(fixture.data());
    CorruptShuffleDataException early = assertThrows(CorruptShuffleDataException.class,
        () -> SegmentSource.ofFile(fixture.data(), 10, length));
    assertTrue(early.getMessage().contains(fixture.data().toString()) && early.getMessage().contains("shorter"),
        early.getMessage());

    // cut the file after the reader validated it: the batch being loaded finds the end
    try (SegmentReader reader = SegmentReader.open(SegmentSource.ofFile(fixture.data(), 0, length), PAIRS,
        allocator, TestRecords.POLICY)) {
      try (FileChannel ch = FileChannel.open(fixture.data(), StandardOpenOption.WRITE)) {
        ch.truncate(length / 2);
      }
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> {
        while (reader.hasNext()) {
          reader.next();
        }
      });
      assertTrue(e.getMessage().contains("ended at byte"), e.getMessage());
    }
  }

  @Test
  void hugeMetadataIsRefusedUnread() throws Exception {
    ShuffleFixture fixture = writeOnePartition(10);
    byte[] segment = Files.readAllBytes(fixture.data());
    int schemaEnd = RecordLayout.of(PAIRS).schemaMessage().length;
    byte[] hostile = new byte[schemaEnd + 8 + (1 << 20)];
    System.arraycopy(segment, 0, hostile, 0, schemaEnd);
    ByteBuffer.wrap(hostile).order(ByteOrder.LITTLE_ENDIAN).putInt(schemaEnd, -1).putInt(schemaEnd + 4, 1 << 20);
    Path file = Files.write(dir.resolve("hostile"), hostile);
    CorruptShuffleDataException e = assertThrows(CorruptShuffleDataException.class,
        () -> SegmentReader.open(SegmentSource.ofFile(file, 0, hostile.length), PAIRS, allocator, TestRecords.POLICY));
    assertTrue(e.getMessage().contains("more than the 65536 a message may have"), e.getMessage());
    assertEquals(0, allocator.getAllocatedMemory());
  }
}
