package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShuffleIndexTest {
  @TempDir Path dir;

  @Test
  void offsetsAndLengths() throws Exception {
    Path index = index(0, 10, 10, 25);
    ShuffleIndex read = ShuffleIndex.read(index, 25);
    assertEquals(3, read.numPartitions());
    assertEquals(25, read.dataLength());
    assertEquals(10, read.offset(1));
    assertEquals(0, read.length(1));
    assertEquals(15, read.length(2));
    assertThrows(IndexOutOfBoundsException.class, () -> read.offset(3));
    assertThrows(IndexOutOfBoundsException.class, () -> read.length(-1));
  }

  @Test
  void readsAgainstTheDataFile() throws Exception {
    Path data = dir.resolve("data");
    Files.write(data, new byte[7]);
    assertEquals(7, ShuffleIndex.read(index(0, 3, 7), data).length(1) + 3);
    Files.write(data, new byte[8]);
    assertCorrupt(index(0, 3, 7), data, "ends at offset 7 but the data file has 8 bytes");
  }

  @Test
  void sizeThatIsNotWholeOffsetsIsRefused() throws Exception {
    Path index = dir.resolve("odd.index");
    Files.write(index, new byte[17]);
    assertCorrupt(index, 0, "has 17 bytes");
    Files.write(index, new byte[8]);
    assertCorrupt(index, 0, "has 8 bytes");
    Files.write(index, new byte[0]);
    assertCorrupt(index, 0, "has 0 bytes");
  }

  @Test
  void decreasingOffsetsAreRefused() throws Exception {
    assertCorrupt(index(0, 10, 5, 20), 20,
        "offset of partition 2 (5) is before that of partition 1 (10)");
  }

  @Test
  void nonZeroStartIsRefused() throws Exception {
    assertCorrupt(index(4, 10), 10, "starts at offset 4");
  }

  private void assertCorrupt(Path index, Object data, String expected) {
    CorruptShuffleDataException e = assertThrows(CorruptShuffleDataException.class,
        () -> {
          if (data instanceof Path path) {
            ShuffleIndex.read(index, path);
          } else {
            ShuffleIndex.read(index, ((Number) data).longValue());
          }
        });
    assertTrue(e.getMessage().contains(index.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private Path index(long... offsets) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(offsets.length * Long.BYTES);
    for (long offset : offsets) {
      bytes.putLong(offset);
    }
    Path index = dir.resolve("map_" + offsets.length + "_" + offsets[offsets.length - 1] + ".index");
    Files.write(index, bytes.array());
    return index;
  }
}
