package io.dflow.examples;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Splits a line into words: maximal runs of chars that are not {@link Character#isWhitespace},
 * case kept, nothing stripped. A hand-written scan (no regex, no {@code String.split}) because
 * it is the hot loop of word count. Depends on the JDK only.
 */
public final class Tokenizer {
  private Tokenizer() {}

  /** The words of {@code line}, in order. */
  public static Iterator<String> tokens(String line) {
    return new Tokens(line);
  }

  /** Whether {@code c} separates words. */
  public static boolean isSeparator(char c) {
    // Printable ASCII is by far the common case; skip the table lookup for it.
    if (c > ' ' && c < 0x7f) {
      return false;
    }
    return Character.isWhitespace(c);
  }

  private static final class Tokens implements Iterator<String> {
    private final String line;
    private final int length;
    private int start;

    Tokens(String line) {
      this.line = line;
      this.length = line.length();
      this.start = skipSeparators(0);
    }

    @Override
    public boolean hasNext() {
      return start < length;
    }

    @Override
    public String next() {
      if (start >= length) {
        throw new NoSuchElementException();
      }
      int end = start + 1;
      while (end < length && !isSeparator(line.charAt(end))) {
        end++;
      }
      String word = line.substring(start, end);
      start = skipSeparators(end);
      return word;
    }

    private int skipSeparators(int from) {
      int i = from;
      while (i < length && isSeparator(line.charAt(i))) {
        i++;
      }
      return i;
    }
  }
}
