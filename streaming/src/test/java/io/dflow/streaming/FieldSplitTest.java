package io.dflow.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dflow.api.Pair;
import io.dflow.api.pipe.LineDecoder;
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
  void pairsCutLinesInPlaceLikeSplitAndShareRepeatedValues() {
    Random random = new Random(3);
    String[] pieces = {"a", "1", "", "é", "\t", "1\t", "x"};
    FieldSplit split = FieldSplit.of("\t", 1);
    LineDecoder pairs = split.pairs().open();
    byte[] previousValue = null;
    for (int i = 0; i < 3000; i++) {
      StringBuilder line = new StringBuilder();
      for (int p = random.nextInt(6); p > 0; p--) {
        line.append(pieces[random.nextInt(pieces.length)]);
      }
      byte[] text = bytes(line.toString());
      byte[] around = new byte[text.length + 7]; // the line in the middle of a reader's buffer
      java.util.Arrays.fill(around, (byte) '\t');
      System.arraycopy(text, 0, around, 3, text.length);
      @SuppressWarnings("unchecked")
      Pair<byte[], byte[]> got = (Pair<byte[], byte[]>) pairs.decode(around, 3, 3 + text.length);
      Pair<byte[], byte[]> want = split.split(text);
      assertArrayEquals(want.key(), got.key(), line.toString());
      assertArrayEquals(want.value(), got.value(), line.toString());
      if (previousValue != null && got.value().length > 0 && java.util.Arrays.equals(previousValue, got.value())) {
        assertSame(previousValue, got.value(), "an equal value after another shares its array");
      }
      previousValue = got.value();
      java.util.Arrays.fill(around, (byte) 0); // the reader reuses its buffer: the record must not change
      assertArrayEquals(want.key(), got.key());
      assertArrayEquals(want.value(), got.value());
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
