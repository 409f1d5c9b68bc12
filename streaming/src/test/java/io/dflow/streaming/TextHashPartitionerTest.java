package io.dflow.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextHashPartitionerTest {
  /** Hadoop's Text.hashCode (WritableComparator.hashBytes), written out. */
  private static int textHash(byte[] bytes) {
    int h = 1;
    for (int i = 0; i < bytes.length; i++) {
      h = 31 * h + bytes[i];
    }
    return h;
  }

  private static byte[] randomKey(Random random) {
    byte[] key = new byte[random.nextInt(40)];
    random.nextBytes(key); // negative bytes too, which count signed
    return key;
  }

  @Test
  void partitionsAsHadoopsHashPartitionerOverText() {
    Random random = new Random(5);
    for (int n : new int[] {1, 2, 3, 10, 997, Integer.MAX_VALUE}) {
      TextHashPartitioner partitioner = new TextHashPartitioner(n);
      for (int i = 0; i < 5000; i++) {
        byte[] key = randomKey(random);
        int expected = (textHash(key) & Integer.MAX_VALUE) % n;
        assertEquals(expected, partitioner.partition(key));
        // Arrays.hashCode(byte[]) is the same formula, implemented independently by the JDK.
        assertEquals((Arrays.hashCode(key) & Integer.MAX_VALUE) % n, partitioner.partition(key));
        assertTrue(expected >= 0 && expected < n);
      }
    }
  }

  @Test
  void equalKeysMeetAndTheEmptyKeyHasAPartition() {
    TextHashPartitioner partitioner = new TextHashPartitioner(13);
    Random random = new Random(6);
    for (int i = 0; i < 1000; i++) {
      byte[] key = randomKey(random);
      assertEquals(partitioner.partition(key), partitioner.partition(key.clone()));
    }
    assertEquals(1 % 13, partitioner.partition(new byte[0]));
  }

  @Test
  void checksTheNumberOfPartitionsAndEqualsByValue() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> new TextHashPartitioner(0));
    assertThrows(IllegalArgumentException.class, () -> new TextHashPartitioner(-3));
    TextHashPartitioner partitioner = new TextHashPartitioner(8);
    assertEquals(8, partitioner.numPartitions());
    assertEquals(new TextHashPartitioner(8), partitioner);
    assertEquals(new TextHashPartitioner(8).hashCode(), partitioner.hashCode());

    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      out.writeObject(partitioner);
    }
    assertEquals(partitioner, new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray())).readObject());
  }
}
