package io.dflow.streaming;

import io.dflow.api.KeyComparator;
import io.dflow.streaming.KeyFieldSpec.KeyDescription;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Orders {@code byte[]} keys by some of their fields, as Hadoop's {@code KeyFieldBasedComparator}
 * and {@code sort -t SEP -k...} in the C locale do: the key descriptions are compared in order,
 * each as unsigned bytes or, with {@code n}, as a number read like {@code sort -n} reads one
 * (leading blanks, an optional {@code -}, digits, an optional {@code .} and fraction; anything
 * else is 0), reversed with {@code r}. Keys that tie on every description are ordered by their
 * whole bytes, reversed under the global {@code -r}, as {@code sort}'s last-resort comparison is,
 * so the order is total.
 */
public final class KeyFieldComparator implements KeyComparator<Object> {
  private static final long serialVersionUID = 1L;

  private final KeyFieldSpec spec;
  private final byte[] separator;

  public KeyFieldComparator(KeyFieldSpec spec, byte[] separator) {
    if (separator.length == 0) {
      throw new IllegalArgumentException("key field separator must not be empty");
    }
    this.spec = Objects.requireNonNull(spec, "spec");
    this.separator = separator.clone();
  }

  /** With {@code options} in the syntax of {@code mapreduce.partition.keycomparator.options}. */
  public KeyFieldComparator(String options, byte[] separator) {
    this(KeyFieldSpec.parse(options), separator);
  }

  @Override
  public int compare(Object a, Object b) {
    byte[] x = (byte[]) a;
    byte[] y = (byte[]) b;
    int[] rx = spec.ranges(x, separator);
    int[] ry = spec.ranges(y, separator);
    List<KeyDescription> keys = spec.keys();
    for (int i = 0; i < keys.size(); i++) {
      KeyDescription k = keys.get(i);
      int c = k.numeric()
          ? Decimal.of(x, rx[2 * i], rx[2 * i + 1]).compareTo(Decimal.of(y, ry[2 * i], ry[2 * i + 1]))
          : Arrays.compareUnsigned(x, rx[2 * i], rx[2 * i + 1], y, ry[2 * i], ry[2 * i + 1]);
      if (c != 0) {
        return k.reverse() ? -c : c;
      }
    }
    int c = Arrays.compareUnsigned(x, y);
    return spec.reverse() ? -c : c;
  }

  /**
   * A number as {@code sort -n} reads it from {@code text}: the digits of its integer part without
   * leading zeros and of its fraction without trailing zeros, compared as digit strings so that
   * numbers of any length compare exactly.
   */
  private record Decimal(byte[] text, boolean negative, int intStart, int intEnd, int fracStart, int fracEnd)
      implements Comparable<Decimal> {
    static Decimal of(byte[] text, int from, int to) {
      int i = from;
      while (i < to && (text[i] == ' ' || text[i] == '\t')) {
        i++;
      }
      boolean negative = i < to && text[i] == '-';
      if (negative) {
        i++;
      }
      while (i < to && text[i] == '0') {
        i++;
      }
      int intStart = i;
      while (i < to && isDigit(text[i])) {
        i++;
      }
      int intEnd = i;
      int fracStart = i;
      int fracEnd = i;
      if (i < to && text[i] == '.') {
        fracStart = ++i;
        while (i < to && isDigit(text[i])) {
          i++;
        }
        fracEnd = i;
        while (fracEnd > fracStart && text[fracEnd - 1] == '0') {
          fracEnd--;
        }
      }
      return new Decimal(text, negative, intStart, intEnd, fracStart, fracEnd);
    }

    private static boolean isDigit(byte b) {
      return b >= '0' && b <= '9';
    }

    /** -1, 0 or 1; -0 is 0. */
    int sign() {
      return intStart == intEnd && fracStart == fracEnd ? 0 : negative ? -1 : 1;
    }

    @Override
    public int compareTo(Decimal o) {
      int sign = sign();
      if (sign != o.sign()) {
        return Integer.compare(sign, o.sign());
      }
      // Without leading zeros, a longer integer part is the larger; digits are ASCII, so signed
      // byte order is digit order, and with trailing zeros gone a fraction that is a prefix of
      // another is the smaller.
      int c = Integer.compare(intEnd - intStart, o.intEnd - o.intStart);
      if (c == 0) {
        c = Arrays.compare(text, intStart, intEnd, o.text, o.intStart, o.intEnd);
      }
      if (c == 0) {
        c = Arrays.compare(text, fracStart, fracEnd, o.text, o.fracStart, o.fracEnd);
      }
      return sign < 0 ? -Integer.signum(c) : Integer.signum(c);
    }
  }

  public KeyFieldSpec spec() {
    return spec;
  }

  public byte[] separator() {
    return separator.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyFieldComparator other && spec.equals(other.spec)
        && Arrays.equals(separator, other.separator);
  }

  @Override
  public int hashCode() {
    return 31 * spec.hashCode() + Arrays.hashCode(separator);
  }

  @Override
  public String toString() {
    return "KeyFieldComparator[" + spec + "]";
  }
}
