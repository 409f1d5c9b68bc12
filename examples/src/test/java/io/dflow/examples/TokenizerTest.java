package io.dflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TokenizerTest {
  /**
   * The reference splitter: a regex whose separator class lists, one by one, every char that
   * {@link Character#isWhitespace} accepts. Regex {@code \s} is a different set, so it is not used.
   */
  private static final Pattern SEPARATORS = separatorPattern();

  private static Pattern separatorPattern() {
    StringBuilder cls = new StringBuilder("[");
    for (int c = Character.MIN_VALUE; c <= Character.MAX_VALUE; c++) {
      if (Character.isWhitespace((char) c)) {
        cls.append(String.format("\\x{%04x}", c));
      }
    }
    return Pattern.compile(cls.append("]+").toString());
  }

  private static List<String> reference(String line) {
    List<String> words = new ArrayList<>(Arrays.asList(SEPARATORS.split(line, -1)));
    words.removeIf(String::isEmpty);
    return words;
  }

  private static List<String> tokenize(String line) {
    List<String> words = new ArrayList<>();
    Tokenizer.tokens(line).forEachRemaining(words::add);
    return words;
  }

  @Test
  void splitsOnSpacesAndTabsKeepingCaseAndPunctuation() {
    assertEquals(List.of("The", "cat,", "THE", "cat."), tokenize("The cat,\tTHE  cat."));
  }

  @Test
  void emptyAndBlankLinesHaveNoWords() {
    assertEquals(List.of(), tokenize(""));
    assertEquals(List.of(), tokenize(" \t \u2003\r"));
  }

  @Test
  void leadingAndTrailingSeparatorsAreDropped() {
    assertEquals(List.of("a", "b"), tokenize("\t\ta b\t\r"));
  }

  @Test
  void unicodeWhitespaceSeparates() {
    // Em space, ideographic space, line separator, information separator four.
    assertEquals(List.of("a", "b", "c", "d", "e"), tokenize("a\u2003b\u3000c\u2028d\u001ce"));
  }

  @Test
  void nonBreakingAndZeroWidthSpacesDoNotSeparate() {
    // Java's isWhitespace excludes no-break spaces; U+0085 and U+200B are not whitespace to it either.
    List<String> words = List.of("a\u00a0b", "c\u2007d", "e\u202ff", "g\u0085h", "i\u200bj");
    assertEquals(words, tokenize(String.join(" ", words)));
  }

  @Test
  void surrogatePairsStayInOneWord() {
    assertEquals(List.of("x\ud83d\ude00y", "\ud83d\ude00"), tokenize("x\ud83d\ude00y \ud83d\ude00"));
  }

  @Test
  void separatorTestAgreesWithIsWhitespaceOnEveryChar() {
    for (int c = Character.MIN_VALUE; c <= Character.MAX_VALUE; c++) {
      assertEquals(Character.isWhitespace((char) c), Tokenizer.isSeparator((char) c), "char " + c);
    }
  }

  @Test
  void matchesReferenceOnRandomLines() {
    char[] alphabet = ("aZ9,.-_\u00e9\u00df\u03b1\u0436\u4e2d\ud83d\ude00\u00a0\u0085\u200b"
        + " \t\n\u000b\f\r\u001c\u001f\u1680\u2000\u2003\u200a\u2028\u2029\u205f\u3000").toCharArray();
    Random random = new Random(42);
    for (int round = 0; round < 20_000; round++) {
      char[] line = new char[random.nextInt(40)];
      for (int i = 0; i < line.length; i++) {
        line[i] = alphabet[random.nextInt(alphabet.length)];
      }
      String s = new String(line);
      assertEquals(reference(s), tokenize(s), () -> "line " + s.chars().mapToObj(Integer::toHexString).toList());
    }
  }

  @Test
  void iteratorFollowsTheContract() {
    Iterator<String> words = Tokenizer.tokens(" one ");
    assertTrue(words.hasNext());
    assertTrue(words.hasNext());
    assertEquals("one", words.next());
    assertFalse(words.hasNext());
    assertThrows(NoSuchElementException.class, words::next);
  }
}
