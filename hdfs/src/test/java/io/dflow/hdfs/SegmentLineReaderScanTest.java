package io.dflow.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time terminator search agrees with a byte-by-byte one, near misses included. */
class SegmentLineReaderScanTest {
  private static final byte[] TRICKY = {'\n', '\r', 0x0B, 0x0C, 0x09, 0x0E, 0x00, 0x01, (byte) 0x8A,
      (byte) 0x8D, (byte) 0xFF, (byte) 0x80, 'a', (byte) 0xC3, (byte) 0xA9};

  @Test
  void findsTheFirstLineFeedOrCarriageReturnAtAnyAlignment() {
    Random random = new Random(5);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[random.nextInt(40)];
      int density = 1 + random.nextInt(30);
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = random.nextInt(density) == 0 ? TRICKY[random.nextInt(2)] : TRICKY[2 + random.nextInt(TRICKY.length - 2)];
      }
      int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      int to = from + random.nextInt(bytes.length - from + 1);
      assertEquals(naive(bytes, from, to), SegmentLineReader.indexOfTerminator(bytes, from, to));
    }
  }

  private static int naive(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        return i;
      }
    }
    return -1;
  }
}
