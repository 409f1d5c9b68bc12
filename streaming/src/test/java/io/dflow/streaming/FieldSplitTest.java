package io.dflow.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dflow.api.Pair;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hadoop's key/value cut, checked against a plain String.split-based reference on random lines. */
class FieldSplitTest {
  @Test
  void cutsAtTheNthSeparatorLikeAReferenceCut() {
    Random random = new Random(2);
    String[] pieces = {"a", "bc", "", "é", "::", ":", "\t", "x:y"};
    for (String separator : new String[] {"\t", ":", "::", "ab"}) {
      for (int keyFields = 1; keyFields <= 3; keyFields++) {
        FieldSplit split = FieldSplit.of(separator, keyFields);
        for (int i = 0; i < 2000; i++) {
          StringBuilder line = new StringBuilder();
          for (int p = random.nextInt(7); p > 0; p--) {
            line.append(pieces[random.nextInt(pieces.length)]);
          }
          String text = line.toString();
          String[] want = referenceCut(text, separator, keyFields);
          Pair<byte[], byte[]> got = split.split(bytes(text));
          String what = "'" + text + "' at " + separator + " x" + keyFields;
          assertEquals(want[0], string(got.key()), what);
          assertEquals(want[1] == null ? "" : want[1], string(got.value()), what);
          String rejoined = want[1] == null ? text + "|" : want[0] + "|" + want[1]; // all key: a trailing separator
          assertEquals(rejoined, string(split.rejoin(bytes(text), bytes("|"))), what);
        }
      }
    }
  }

  @Test
  void aLineAlreadyInTheOutputsShapeIsNotCopied() {
    byte[] line = bytes("key\tvalue\tmore");
    assertSame(line, FieldSplit.of("\t", 1).rejoin(line, FieldSplit.TAB));
    assertArrayEquals(bytes("alone\t"), FieldSplit.of("\t", 1).rejoin(bytes("alone"), FieldSplit.TAB));
  }

  @Test
  void refusesAnEmptySeparatorAndNoKeyFields() {
    assertThrows(IllegalArgumentException.class, () -> FieldSplit.of("", 1));
    assertThrows(IllegalArgumentException.class, () -> FieldSplit.of("\t", 0));
  }

  /** {key, value}: the key up to the Nth separator; null value when there are fewer (the line is all key). */
  private static String[] referenceCut(String line, String separator, int keyFields) {
    int at = -separator.length();
    for (int n = 0; n < keyFields; n++) {
      at = line.indexOf(separator, at + separator.length());
      if (at < 0) {
        return new String[] {line, null};
      }
    }
    return new String[] {line.substring(0, at), line.substring(at + separator.length())};
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
