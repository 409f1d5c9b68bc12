package io.dflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keys hash alike in every JVM: enums and records of them by name, not identity; keys without
 * their own hashCode are refused, at plan time where the encoder names their class.
 */
class StableHashTest {
  enum Colour { RED, GREEN, BLUE }

  record Key(Colour colour, int n) {}

  /** Equal instances, distinct identity hash codes. */
  static final class NoHashCode implements java.io.Serializable {}

  /** Prints the stable hashes of some keys, in a JVM of its own. */
  public static final class Print {
    public static void main(String[] args) {
      System.out.println(StableHash.of(Colour.GREEN) + " " + StableHash.of(new Key(Colour.BLUE, 7))
          + " " + StableHash.of(List.of(Colour.RED, Pair.of("x", Colour.GREEN))) + " " + StableHash.of(Set.of(Colour.BLUE)));
    }
  }

  private static String hashesHere() {
    return StableHash.of(Colour.GREEN) + " " + StableHash.of(new Key(Colour.BLUE, 7))
        + " " + StableHash.of(List.of(Colour.RED, Pair.of("x", Colour.GREEN))) + " " + StableHash.of(Set.of(Colour.BLUE));
  }

  @Test
  void enumKeysHashTheSameInAnotherJvm() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Print.class.getName())
        .redirectErrorStream(true).start();
    String there;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      there = in.readLine();
    }
    assertEquals(0, p.waitFor());
    assertEquals(hashesHere(), there);
  }

  @Test
  void hashesAreBuiltFromNamesAndValues() {
    assertEquals(31 * Colour.class.getName().hashCode() + "GREEN".hashCode(), StableHash.of(Colour.GREEN));
    assertEquals("word".hashCode(), StableHash.of("word"));
    assertEquals(Long.hashCode(42L), StableHash.of(42L));
    assertEquals(0, StableHash.of(null));
    assertEquals(StableHash.of(new Key(Colour.RED, 1)), StableHash.of(new Key(Colour.RED, 1)));
    assertNotEquals(StableHash.of(new Key(Colour.RED, 1)), StableHash.of(new Key(Colour.GREEN, 1)));
    assertEquals(java.util.Arrays.hashCode(new byte[] {1, 2}), StableHash.of(new byte[] {1, 2}));
  }

  @Test
  void aHashPartitionerPlacesAnEnumByItsName() {
    HashPartitioner p = new HashPartitioner(8);
    assertEquals(Math.floorMod(StableHash.of(Colour.BLUE), 8), p.partition(Colour.BLUE));
  }

  @Test
  void aKeyWithoutItsOwnHashCodeIsRefusedNamingItsClass() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StableHash.of(new NoHashCode()));
    assertTrue(e.getMessage().contains(NoHashCode.class.getName()), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> StableHash.checkKeyType(NoHashCode.class));
    StableHash.checkKeyType(Colour.class);
    StableHash.checkKeyType(Key.class);
    StableHash.checkKeyType(Object.class); // unknown until run time
  }

  @Test
  void aWideStepOverSuchKeysFailsWhenTheJobIsBuilt() {
    JobContext ctx = new JobContext(new NoRunner(), java.util.Map.of(), 2);
    PairDataset<NoHashCode, Integer> pairs = ctx.parallelize(List.of(1), Encoders.ints())
        .mapToPair(x -> Pair.of(new NoHashCode(), x), Encoders.java(NoHashCode.class), Encoders.ints());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pairs.reduceByKey(Integer::sum));
    assertTrue(e.getMessage().startsWith("key class " + NoHashCode.class.getName() + " keeps Object.hashCode"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, pairs::groupByKey);
    assertThrows(IllegalArgumentException.class, () -> pairs.join(pairs));
  }
}
