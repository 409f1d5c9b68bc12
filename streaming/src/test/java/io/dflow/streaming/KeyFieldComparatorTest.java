package io.dflow.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sorting by {@link KeyFieldComparator} against the real GNU {@code sort} in the C locale. */
class KeyFieldComparatorTest {
  private static final byte[] TAB = {'\t'};
  private static final String LETTERS = "abcdefxyzABCXYZ\u00e9";

  @TempDir static Path dir;

  @BeforeAll
  static void needGnuSort() throws Exception {
    boolean gnu;
    try {
      Process p = new ProcessBuilder("sort", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      gnu = p.waitFor() == 0 && out.contains("GNU coreutils");
    } catch (IOException e) {
      gnu = false;
    }
    assertTrue(gnu, "GNU sort (coreutils) is the reference these tests compare with: install coreutils");
  }

  private static String letters(Random random, int min, int max) {
    StringBuilder s = new StringBuilder();
    for (int i = min + random.nextInt(max - min + 1); i > 0; i--) {
      s.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    }
    return s.toString();
  }

  /** Plain numbers only ({@code sort -n} and Hadoop differ on '+' signs and grouping). */
  private static String number(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> List.of("0", "-0", "0.0", "-0.00", "007", "-007.50", ".5", "-.5", "5.").get(random.nextInt(9));
      case 1 -> (random.nextBoolean() ? "-" : "") + (1 + random.nextInt(9))
          + String.format(Locale.ROOT, "%024d", Math.abs(random.nextLong() % 1_000_000_000_000_000L));
      case 2, 3 -> String.format(Locale.ROOT, "%d.%0" + (1 + random.nextInt(4)) + "d",
          random.nextInt(2001) - 1000, random.nextInt(10));
      default -> Integer.toString(random.nextInt(2001) - 1000);
    };
  }

  /** letters TAB number TAB letters TAB number, sometimes cut short or with empty fields. */
  private static List<String> textFirstKeys(long seed) {
    Random random = new Random(seed);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String[] fields = {letters(random, 1, 4), number(random), letters(random, 0, 3), number(random)};
      if (random.nextInt(30) == 0) {
        fields[random.nextInt(4)] = "";
      }
      int count = random.nextInt(20) == 0 ? 1 + random.nextInt(3) : 4;
      keys.add(String.join("\t", Arrays.copyOf(fields, count)));
    }
    return keys;
  }

  /** number TAB letters, for the global -n with no -k. */
  private static List<String> numberFirstKeys(long seed) {
    Random random = new Random(seed);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      keys.add(number(random) + "\t" + letters(random, 1, 3));
    }
    return keys;
  }

  private static List<String> gnuSort(List<String> keys, String options) throws Exception {
    Path in = Files.createTempFile(dir, "keys", ".txt");
    Path out = Files.createTempFile(dir, "sorted", ".txt");
    Path err = Files.createTempFile(dir, "sort", ".err");
    Files.write(in, (String.join("\n", keys) + "\n").getBytes(StandardCharsets.UTF_8));
    List<String> command = new ArrayList<>(List.of("sort", "-t", "\t"));
    command.addAll(Arrays.asList(options.trim().split("\\s+")));
    command.add(in.toString());
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("LC_ALL", "C");
    int exit = builder.start().waitFor();
    assertEquals(0, exit, () -> command + " failed: " + read(err));
    String sorted = read(out);
    return List.of(sorted.substring(0, sorted.length() - 1).split("\n", -1));
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> sortWith(KeyFieldComparator comparator, List<String> keys) {
    List<byte[]> bytes = new ArrayList<>(keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList());
    bytes.sort(comparator);
    return bytes.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  private static void assertSameOrder(List<String> expected, List<String> actual, String options) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        int from = Math.max(0, i - 2);
        int to = Math.min(expected.size(), i + 3);
        Function<List<String>, String> around = l -> l.subList(from, to).toString().replace("\t", "\\t");
        fail("order differs from sort " + options + " at line " + i + "\n sort:  " + around.apply(expected)
            + "\n dflow: " + around.apply(actual));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "-k1,1", "-k2,2n", "-k2,2nr", "-k1.2,1.3", "-k3,3 -k2,2n", "-k2,2nr -k1,1", "-k4,4n -k1,1r",
      "-k2n", "-k1.2", "-k1,2", "-r -k1,1", "-r -k2,2n", "-r", "-n -k2,2 -k4,4", "-k 3,3r -k 2,2"})
  void sortsAsGnuSortDoes(String options) throws Exception {
    List<String> keys = textFirstKeys(options.hashCode());
    assertSameOrder(gnuSort(keys, options), sortWith(new KeyFieldComparator(options, TAB), keys), options);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-n", "-nr", "-n -r", "-k1,1n -k2,2r"})
  void sortsNumbersAsGnuSortDoes(String options) throws Exception {
    List<String> keys = numberFirstKeys(options.hashCode());
    assertSameOrder(gnuSort(keys, options), sortWith(new KeyFieldComparator(options, TAB), keys), options);
  }

  @Test
  void numbersCompareExactlyWhateverTheirLength() {
    KeyFieldComparator numeric = new KeyFieldComparator("-n", TAB);
    String big = "123456789012345678901234567890";
    String bigger = "123456789012345678901234567891";
    assertTrue(numeric.compare(bytes(big), bytes(bigger)) < 0);
    assertTrue(numeric.compare(bytes("-" + big), bytes("-" + bigger)) > 0);
    assertTrue(numeric.compare(bytes("0." + big), bytes("0." + bigger)) < 0);
    assertTrue(numeric.compare(bytes(big + ".5"), bytes(big + ".50001")) < 0);
  }

  @Test
  void numericTiesFallBackToTheWholeKey() {
    KeyFieldComparator numeric = new KeyFieldComparator("-k1,1n", TAB);
    // 1.0 and 1 are the same number; the tie is broken by the bytes, and never reported as 0.
    int c = numeric.compare(bytes("1.0\tx"), bytes("1\tx"));
    assertEquals(Integer.signum(Arrays.compareUnsigned(bytes("1.0\tx"), bytes("1\tx"))), Integer.signum(c));
    assertEquals(0, numeric.compare(bytes("1\tx"), bytes("1\tx")));
  }

  @Test
  void isAntisymmetricAndTransitiveOnRandomKeys() {
    List<String> keys = textFirstKeys(7);
    for (String options : List.of("-k2,2n", "-k1.2,1.3r -k4,4n", "-r -k3,3")) {
      KeyFieldComparator comparator = new KeyFieldComparator(options, TAB);
      Random random = new Random(options.hashCode());
      for (int i = 0; i < 20_000; i++) {
        byte[] a = bytes(keys.get(random.nextInt(keys.size())));
        byte[] b = bytes(keys.get(random.nextInt(keys.size())));
        byte[] c = bytes(keys.get(random.nextInt(keys.size())));
        assertEquals(Integer.signum(comparator.compare(a, b)), -Integer.signum(comparator.compare(b, a)));
        assertEquals(Arrays.equals(a, b), comparator.compare(a, b) == 0);
        if (comparator.compare(a, b) <= 0 && comparator.compare(b, c) <= 0) {
          assertTrue(comparator.compare(a, c) <= 0, options);
        }
      }
    }
  }

  @Test
  void equalsByValueAndSurvivesSerialization() throws Exception {
    KeyFieldComparator comparator = new KeyFieldComparator("-k2,2nr -k1,1", TAB);
    assertEquals(comparator, new KeyFieldComparator(KeyFieldSpec.parse("-k 2,2rn -k1.1,1.0"), new byte[] {'\t'}));
    assertEquals(comparator.hashCode(), new KeyFieldComparator("-k2,2nr -k1,1", TAB).hashCode());
    assertNotEquals(comparator, new KeyFieldComparator("-k2,2nr -k1,1", new byte[] {','}));
    assertNotEquals(comparator, new KeyFieldComparator("-k2,2n -k1,1", TAB));

    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      out.writeObject(comparator);
    }
    Object copy = new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray())).readObject();
    assertEquals(comparator, copy);
    List<String> keys = textFirstKeys(3);
    assertEquals(sortWith(comparator, keys), sortWith((KeyFieldComparator) copy, keys));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
