package io.dflow.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.streaming.KeyFieldSpec.KeyDescription;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyFieldSpecTest {
  private static final byte[] TAB = {'\t'};

  @Test
  void parsesKeysWithTheirOptions() {
    KeyFieldSpec spec = KeyFieldSpec.parse("-k1,1 -k2.3,4.5nr  -k3n -k 5.2,5.0r");
    assertEquals(List.of(
        new KeyDescription(1, 1, 1, 0, false, false),
        new KeyDescription(2, 3, 4, 5, true, true),
        new KeyDescription(3, 1, 0, 0, true, false),
        new KeyDescription(5, 2, 5, 0, false, true)), spec.keys());
    assertFalse(spec.isDefault());
  }

  @Test
  void globalFlagsApplyOnlyToKeysWithoutOptionsOfTheirOwn() {
    KeyFieldSpec spec = KeyFieldSpec.parse("-n -k1,1 -k2,2r -r");
    assertEquals(List.of(new KeyDescription(1, 1, 1, 0, true, true), new KeyDescription(2, 1, 2, 0, false, true)),
        spec.keys());
    assertEquals(spec, KeyFieldSpec.parse("-nr -k1,1 -k2,2r"));
  }

  @Test
  void withoutKeysTheWholeKeyIsOneDescription() {
    assertEquals(List.of(new KeyDescription(1, 1, 0, 0, true, true)), KeyFieldSpec.parse("-nr").keys());
    for (String none : new String[] {null, "", "  "}) {
      KeyFieldSpec spec = KeyFieldSpec.parse(none);
      assertTrue(spec.isDefault());
      assertEquals(List.of(new KeyDescription(1, 1, 0, 0, false, false)), spec.keys());
      assertArrayEquals(new int[] {0, 5}, spec.ranges(bytes("a\tb\tc"), TAB));
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "-k0        | -k0        | field number is zero",
      "-kx        | -kx        | expected a field number at 'x'",
      "-q         | -q         | unknown option",
      "-k1,1 -t,  | -t,        | unknown option",
      "-k1.0      | -k1.0      | character position is zero",
      "-k1,0      | -k1,0      | field number is zero in POS2",
      "-k1,1b     | -k1,1b     | unsupported ordering option 'b'",
      "-k2 -k1,   | -k1,       | expected a field number at the end",
      "-k1.       | -k1.       | expected a character position",
      "-k1;2      | -k1;2      | unexpected ';'",
      "-k         | -k         | missing key position",
      "-k 0,1     | -k 0,1     | field number is zero",
      "-k1,1 -k99999999999 | -k99999999999 | too large"})
  void badOptionsAreNamed(String options, String culprit, String why) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFieldSpec.parse(options));
    assertTrue(e.getMessage().contains("'" + culprit + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }

  /** The bytes of {@code key} each description of {@code options} selects, joined by '|'. */
  private static String selected(String options, String key, String sep) {
    byte[] k = bytes(key);
    int[] r = KeyFieldSpec.parse(options).ranges(k, bytes(sep));
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < r.length; i += 2) {
      assertTrue(0 <= r[i] && r[i] <= r[i + 1] && r[i + 1] <= k.length, Arrays.toString(r));
      out.append(i == 0 ? "" : "|").append(new String(k, r[i], r[i + 1] - r[i], StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  @Test
  void fieldsTheKeyDoesNotHaveSelectNothing() {
    assertEquals("", selected("-k3,3", "ab\tcd", "\t"));
    assertArrayEquals(new int[] {5, 5}, KeyFieldSpec.parse("-k3,3").ranges(bytes("ab\tcd"), TAB));
    assertEquals("cd", selected("-k2,5", "ab\tcd", "\t"));
    assertEquals("|ab", selected("-k3 -k1,1", "ab\tcd", "\t"));
    assertEquals("", selected("-k2,2", "ab\t", "\t"));
    assertEquals("", selected("-k2,2", "ab", "\t"));
    assertEquals("", selected("-k1,1", "", "\t"));
    assertEquals("|", selected("-k1,1 -k2,2n", "", "\t"));
  }

  @Test
  void positionsWithinFieldsFollowSort() {
    assertEquals("bc", selected("-k1.2,1.3", "abcd\tef", "\t"));
    assertEquals("d\tef", selected("-k1.4", "abcd\tef", "\t"));
    assertEquals("cd\tef", selected("-k1.3,2", "abcd\tef", "\t"));
    assertEquals("cd", selected("-k1.3,1.0", "abcd\tef", "\t"));
    // As in GNU sort and Hadoop, character positions may run past their field's end (not the key's).
    assertEquals("\te", selected("-k1.5,1.6", "abcd\tef", "\t"));
    assertEquals("", selected("-k1.9", "abcd\tef", "\t"));
    assertEquals("", selected("-k2,1", "abcd\tef", "\t"));
    assertEquals("bb", selected("-k2,2", "a::bb::c", "::"));
    assertEquals("bb::c|c", selected("-k2 -k3,3", "a::bb::c", "::"));
  }

  @Test
  void wholeFieldRangesMatchSplittingTheKey() {
    Random random = new Random(11);
    for (String sep : new String[] {"\t", ",", "::"}) {
      for (int i = 0; i < 2000; i++) {
        String[] fields = new String[random.nextInt(5)];
        for (int f = 0; f < fields.length; f++) {
          fields[f] = "xyz\u00e9".substring(random.nextInt(4));
        }
        String key = String.join(sep, fields);
        String[] split = key.split(Pattern.quote(sep), -1);
        int from = 1 + random.nextInt(5);
        int to = from + random.nextInt(3);
        String expected = from > split.length ? ""
            : String.join(sep, Arrays.copyOfRange(split, from - 1, Math.min(to, split.length)));
        assertEquals(expected, selected("-k" + from + "," + to, key, sep), key + " -k" + from + "," + to);
      }
    }
  }

  @Test
  void rejectsAnEmptySeparator() {
    assertThrows(IllegalArgumentException.class, () -> KeyFieldSpec.parse("-k1,1").ranges(bytes("a"), new byte[0]));
  }

  @Test
  void printsCanonicalOptionsThatParseBackEqual() throws Exception {
    for (String options : new String[] {"", "-n", "-r -k2,2", "-k1.2,3.4nr -k5", "-nr -k1,1n"}) {
      KeyFieldSpec spec = KeyFieldSpec.parse(options);
      assertEquals(spec, KeyFieldSpec.parse(spec.toString()), spec.toString());
      assertEquals(spec.hashCode(), KeyFieldSpec.parse(spec.toString()).hashCode());

      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
        out.writeObject(spec);
      }
      Object copy = new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray())).readObject();
      assertEquals(spec, copy);
    }
    assertEquals("-k1.1,1.0 -k2.1,2.0nr", KeyFieldSpec.parse("-k1,1 -k2,2nr").toString());
    assertEquals(KeyFieldSpec.parse("-n"), KeyFieldSpec.parse("-n -k1"));
    assertNotEquals(KeyFieldSpec.parse(""), KeyFieldSpec.parse("-k1"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
