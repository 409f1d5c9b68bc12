package io.dflow.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KeyFieldPartitionerTest {
  private static final String[] SEPARATORS = {"\t", ",", "::"};

  /** Fields of at least 3 characters (so that -k1.2,1.3 stays inside field 1), some not ASCII. */
  private static String randomKey(Random random, String sep) {
    String[] fields = new String[1 + random.nextInt(5)];
    for (int f = 0; f < fields.length; f++) {
      StringBuilder field = new StringBuilder();
      for (int c = 3 + random.nextInt(4); c > 0; c--) {
        field.append("abcXYZ0123-\u00e9\u00df\u4e2d".charAt(random.nextInt(14)));
      }
      fields[f] = field.toString();
    }
    return String.join(sep, fields);
  }

  /** Whole fields {@code from..to} (1-based; {@code to} 0 = to the end of the key) of a split key. */
  private static Function<String[], String> fields(int from, int to, String sep) {
    return split -> from > split.length ? ""
        : String.join(sep, Arrays.copyOfRange(split, from - 1, to == 0 ? split.length : Math.min(to, split.length)));
  }

  /** What Hadoop hashes, written out: 31 * h + b over the selected bytes, from 0 and carried on. */
  private static int expectedPartition(String key, String sep, List<Function<String[], String>> selectors, int n) {
    String[] split = key.split(Pattern.quote(sep), -1);
    int h = 0;
    for (Function<String[], String> selector : selectors) {
      for (byte b : selector.apply(split).getBytes(StandardCharsets.UTF_8)) {
        h = 31 * h + b;
      }
    }
    return (h & Integer.MAX_VALUE) % n;
  }

  private record Case(String options, List<Function<String[], String>> selectors) {}

  private static List<Case> cases(String sep) {
    return List.of(
        new Case("-k2,2", List.of(fields(2, 2, sep))),
        new Case("-k1,1 -k3,3", List.of(fields(1, 1, sep), fields(3, 3, sep))),
        new Case("-k3,3 -k1,1", List.of(fields(3, 3, sep), fields(1, 1, sep))),
        new Case("-k2,3", List.of(fields(2, 3, sep))),
        new Case("-k2", List.of(fields(2, 0, sep))),
        new Case("-k6,6", List.of(fields(6, 6, sep))),
        new Case("-k1.2,1.3 -k2,2nr", List.of(split -> split[0].substring(1, 3), fields(2, 2, sep))),
        new Case("-n", List.of(fields(1, 0, sep))));
  }

  @Test
  void hashesTheSelectedFieldsAsHadoopDoes() {
    Random random = new Random(21);
    for (String sep : SEPARATORS) {
      byte[] separator = sep.getBytes(StandardCharsets.UTF_8);
      for (Case c : cases(sep)) {
        for (int n : new int[] {1, 7, 64, 1000}) {
          KeyFieldPartitioner partitioner = new KeyFieldPartitioner(c.options(), separator, n);
          for (int i = 0; i < 1000; i++) {
            String key = randomKey(random, sep);
            // -k1.2,1.3 counts bytes; keep to keys where that means characters 2 and 3.
            if (c.options().startsWith("-k1.2") && key.codePoints().limit(3).anyMatch(cp -> cp > 127)) {
              continue;
            }
            assertEquals(expectedPartition(key, sep, c.selectors(), n),
                partitioner.partition(key.getBytes(StandardCharsets.UTF_8)),
                () -> c.options() + " on " + key.replace("\t", "\\t"));
          }
        }
      }
    }
  }

  @Test
  void withoutOptionsHashesTheKeysTextAsHadoopDoes() {
    Random random = new Random(22);
    for (String options : new String[] {null, ""}) {
      KeyFieldPartitioner partitioner = new KeyFieldPartitioner(options, new byte[] {'\t'}, 31);
      for (int i = 0; i < 2000; i++) {
        String key = randomKey(random, "\t");
        int h = 0;
        for (char c : key.toCharArray()) { // String.hashCode, over UTF-16 chars
          h = 31 * h + c;
        }
        assertEquals((h & Integer.MAX_VALUE) % 31, partitioner.partition(key.getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  @Test
  void malformedUtf8IsHashedAsHadoopReencodesIt() {
    KeyFieldPartitioner partitioner = new KeyFieldPartitioner("-k1,1", new byte[] {'\t'}, 1 << 20);
    // Text.toString() turns the stray 0xff into U+FFFD, whose UTF-8 is EF BF BD.
    byte[] reencoded = {(byte) 0xef, (byte) 0xbf, (byte) 0xbd, 'a'};
    int h = 0;
    for (byte b : reencoded) {
      h = 31 * h + b;
    }
    assertEquals((h & Integer.MAX_VALUE) % (1 << 20), partitioner.partition(new byte[] {(byte) 0xff, 'a', '\t', 'b'}));
  }

  @Test
  void keysWithEqualSelectedFieldsMeet() {
    Random random = new Random(23);
    KeyFieldPartitioner partitioner = new KeyFieldPartitioner("-k2,2 -k4,4", new byte[] {'\t'}, 1000);
    Set<Integer> seen = new HashSet<>();
    for (int group = 0; group < 200; group++) {
      String second = randomKey(random, "_");
      String fourth = randomKey(random, "_");
      Set<Integer> partitions = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        String key = String.join("\t", randomKey(random, "_"), second, randomKey(random, "_"), fourth,
            randomKey(random, "_"));
        partitions.add(partitioner.partition(key.getBytes(StandardCharsets.UTF_8)));
      }
      assertEquals(1, partitions.size(), second + " " + fourth);
      seen.addAll(partitions);
    }
    assertTrue(seen.size() > 100, "groups should spread over the partitions, got " + seen.size());
  }

  @Test
  void partitionsStayWithinBounds() {
    assertThrows(IllegalArgumentException.class, () -> new KeyFieldPartitioner("-k1,1", new byte[] {'\t'}, 0));
    assertThrows(IllegalArgumentException.class, () -> new KeyFieldPartitioner("-k1,1", new byte[] {'\t'}, -1));
    assertThrows(IllegalArgumentException.class, () -> new KeyFieldPartitioner("-k1,1", new byte[0], 4));
    assertThrows(IllegalArgumentException.class, () -> new KeyFieldPartitioner("-k0", new byte[] {'\t'}, 4));
    Random random = new Random(24);
    for (int n : new int[] {1, 2, 3, 1000, Integer.MAX_VALUE}) {
      for (String options : new String[] {"", "-k1,1", "-k2,3 -k1"}) {
        KeyFieldPartitioner partitioner = new KeyFieldPartitioner(options, new byte[] {'\t'}, n);
        assertEquals(n, partitioner.numPartitions());
        assertEquals(0, partitioner.partition(new byte[0]));
        for (int i = 0; i < 2000; i++) {
          byte[] key = new byte[random.nextInt(30)];
          random.nextBytes(key);
          int p = partitioner.partition(key);
          assertTrue(p >= 0 && p < n, options + ": " + p + " not in [0, " + n + ")");
        }
      }
    }
  }

  @Test
  void equalsByValueAndSurvivesSerialization() throws Exception {
    KeyFieldPartitioner partitioner = new KeyFieldPartitioner("-k2,2 -k1.2,1.3", "::".getBytes(StandardCharsets.UTF_8), 17);
    assertEquals(partitioner, new KeyFieldPartitioner(KeyFieldSpec.parse("-k 2,2 -k1.2,1.3"), new byte[] {':', ':'}, 17));
    assertEquals(partitioner.hashCode(),
        new KeyFieldPartitioner("-k2,2 -k1.2,1.3", new byte[] {':', ':'}, 17).hashCode());
    assertNotEquals(partitioner, new KeyFieldPartitioner("-k2,2 -k1.2,1.3", new byte[] {':'}, 17));
    assertNotEquals(partitioner, new KeyFieldPartitioner("-k2,2 -k1.2,1.3", new byte[] {':', ':'}, 16));
    assertNotEquals(partitioner, new KeyFieldPartitioner("-k2,2", new byte[] {':', ':'}, 17));

    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      out.writeObject(partitioner);
    }
    KeyFieldPartitioner copy = (KeyFieldPartitioner)
        new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray())).readObject();
    assertEquals(partitioner, copy);
    Random random = new Random(25);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      keys.add(randomKey(random, "::").getBytes(StandardCharsets.UTF_8));
    }
    for (byte[] key : keys) {
      assertEquals(partitioner.partition(key), copy.partition(key));
    }
  }
}
