package io.dflow.streaming;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The key fields named by Hadoop's key-field options, the {@code sort}-like syntax of
 * {@code mapreduce.partition.keypartitioner.options} and
 * {@code mapreduce.partition.keycomparator.options}: one or more {@code -kPOS1[,POS2]}, where POS
 * is {@code F[.C][opts]} (F the 1-based field, C the 1-based byte in the field, opts any of
 * {@code n} numeric and {@code r} reverse), and the global flags {@code -n} and {@code -r}, which
 * apply to every key description that has no options of its own. Without any {@code -k}, the whole
 * key is one description carrying the global flags.
 *
 * <p>Positions follow GNU {@code sort} (and Hadoop): a character position counts from the start of
 * its field but may run past the field's end, up to the end of the key; a POS2 character of 0, or
 * none, means the end of the field; no POS2 means the end of the key; fields the key does not have
 * select nothing.
 */
public final class KeyFieldSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One {@code -k} description. {@code endField} 0 means the end of the key, {@code endChar} 0 the
   * end of {@code endField}.
   */
  public record KeyDescription(
      int startField, int startChar, int endField, int endChar, boolean numeric, boolean reverse)
      implements Serializable {
    public KeyDescription {
      if (startField < 1 || startChar < 1 || endField < 0 || endChar < 0
          || (endField == 0 && endChar != 0)) {
        throw new IllegalArgumentException("bad key description " + render(
            startField, startChar, endField, endChar, numeric, reverse));
      }
    }

    /** The description in {@code -k} syntax, e.g. {@code -k2.1,2.0nr}. */
    @Override
    public String toString() {
      return render(startField, startChar, endField, endChar, numeric, reverse);
    }

    private static String render(int sf, int sc, int ef, int ec, boolean n, boolean r) {
      return "-k" + sf + "." + sc + (ef == 0 ? "" : "," + ef + "." + ec) + (n ? "n" : "") + (r ? "r" : "");
    }
  }

  private final List<KeyDescription> keys;
  private final boolean numeric;
  private final boolean reverse;
  private final boolean explicitKeys;
  private final int maxField;

  private KeyFieldSpec(List<KeyDescription> keys, boolean numeric, boolean reverse, boolean explicitKeys) {
    this.keys = List.copyOf(keys);
    this.numeric = numeric;
    this.reverse = reverse;
    this.explicitKeys = explicitKeys;
    this.maxField = this.keys.stream().mapToInt(k -> Math.max(k.startField(), k.endField())).max().orElse(1);
  }

  /**
   * Parses Hadoop key-field options such as {@code "-k1,1 -k2,2nr"}; {@code null} or blank means
   * no options (the whole key, in byte order).
   *
   * @throws IllegalArgumentException naming the bad option and what is wrong with it
   */
  public static KeyFieldSpec parse(String options) {
    String[] tokens = options == null || options.isBlank() ? new String[0] : options.trim().split("\\s+");
    List<KeyDescription> parsed = new ArrayList<>();
    boolean numeric = false;
    boolean reverse = false;
    for (int i = 0; i < tokens.length; i++) {
      String token = tokens[i];
      if (token.startsWith("-k")) {
        String position = token.substring(2);
        String option = token;
        if (position.isEmpty()) { // "-k 2,2" as sort and Hadoop also accept
          if (i + 1 == tokens.length) {
            throw bad(token, "missing key position after -k");
          }
          position = tokens[++i];
          option = token + " " + position;
        }
        parsed.add(new KeyParser(position, option).parse());
      } else if (token.matches("-[nr]+")) {
        numeric |= token.indexOf('n') >= 0;
        reverse |= token.indexOf('r') >= 0;
      } else {
        throw bad(token, "unknown option; expected -n, -r or -kPOS1[,POS2]");
      }
    }
    List<KeyDescription> keys = new ArrayList<>();
    for (KeyDescription k : parsed) {
      keys.add(k.numeric() || k.reverse() ? k
          : new KeyDescription(k.startField(), k.startChar(), k.endField(), k.endChar(), numeric, reverse));
    }
    if (keys.isEmpty()) {
      keys.add(new KeyDescription(1, 1, 0, 0, numeric, reverse));
    }
    return new KeyFieldSpec(keys, numeric, reverse, !parsed.isEmpty());
  }

  /** The key descriptions in order of precedence, global flags already applied; never empty. */
  public List<KeyDescription> keys() {
    return keys;
  }

  /** The global {@code -n}. */
  public boolean numeric() {
    return numeric;
  }

  /** The global {@code -r}; it also reverses the comparator's last-resort whole-key comparison. */
  public boolean reverse() {
    return reverse;
  }

  /** Whether no options were given at all, which Hadoop's partitioner treats specially. */
  public boolean isDefault() {
    return !explicitKeys && !numeric && !reverse;
  }

  /**
   * The byte range each key description selects in {@code key}, whose fields are separated by
   * {@code sep}: for description {@code i}, {@code [r[2i], r[2i+1])}. A range the key does not
   * reach is empty (start == end).
   */
  public int[] ranges(byte[] key, byte[] sep) {
    if (sep.length == 0) {
      throw new IllegalArgumentException("key field separator must not be empty");
    }
    // Only fields up to the highest one named are needed; a key has at most length + 1 of them.
    int wanted = Math.min(maxField, key.length + 1);
    int[] starts = new int[wanted + 1];
    int[] ends = new int[wanted + 1];
    int fields = 0;
    for (int from = 0; fields < wanted; ) {
      int at = indexOf(key, sep, from);
      fields++;
      starts[fields] = from;
      ends[fields] = at < 0 ? key.length : at;
      if (at < 0) {
        break;
      }
      from = at + sep.length;
    }
    int[] ranges = new int[2 * keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      KeyDescription k = keys.get(i);
      int start = k.startField() > fields ? key.length
          : advance(starts[k.startField()], k.startChar() - 1, key.length);
      int end;
      if (k.endField() == 0 || k.endField() > fields) {
        end = key.length;
      } else if (k.endChar() == 0) {
        end = ends[k.endField()];
      } else {
        end = advance(starts[k.endField()], k.endChar(), key.length);
      }
      ranges[2 * i] = start;
      ranges[2 * i + 1] = Math.max(start, end);
    }
    return ranges;
  }

  /** {@code from + by}, but no further than {@code limit} (and without overflowing). */
  private static int advance(int from, int by, int limit) {
    return by >= limit - from ? limit : from + by;
  }

  private static int indexOf(byte[] key, byte[] sep, int from) {
    outer:
    for (int i = from; i <= key.length - sep.length; i++) {
      for (int j = 0; j < sep.length; j++) {
        if (key[i + j] != sep[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static IllegalArgumentException bad(String option, String why) {
    return new IllegalArgumentException("bad key field option '" + option + "': " + why);
  }

  /** Reads one {@code POS1[,POS2]}. */
  private static final class KeyParser {
    private final String text;
    private final String option;
    private int at;
    private boolean numeric;
    private boolean reverse;

    KeyParser(String text, String option) {
      this.text = text;
      this.option = option;
    }

    KeyDescription parse() {
      int startField = number("field number");
      if (startField == 0) {
        throw bad(option, "field number is zero");
      }
      int startChar = 1;
      if (eat('.')) {
        startChar = number("character position");
        if (startChar == 0) {
          throw bad(option, "character position is zero in POS1");
        }
      }
      flags();
      int endField = 0;
      int endChar = 0;
      if (eat(',')) {
        endField = number("field number");
        if (endField == 0) {
          throw bad(option, "field number is zero in POS2");
        }
        if (eat('.')) {
          endChar = number("character position");
        }
        flags();
      }
      if (at < text.length()) {
        char c = text.charAt(at);
        throw bad(option, Character.isLetter(c)
            ? "unsupported ordering option '" + c + "' (only n and r are supported)"
            : "unexpected '" + c + "'; expected -kF[.C][nr][,F[.C][nr]]");
      }
      return new KeyDescription(startField, startChar, endField, endChar, numeric, reverse);
    }

    private int number(String what) {
      int begin = at;
      while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
        at++;
      }
      if (begin == at) {
        throw bad(option, "expected a " + what
            + (at < text.length() ? " at '" + text.substring(at) + "'" : " at the end"));
      }
      try {
        return Integer.parseInt(text, begin, at, 10);
      } catch (NumberFormatException e) {
        throw bad(option, what + " " + text.substring(begin, at) + " is too large");
      }
    }

    private void flags() {
      for (; at < text.length(); at++) {
        switch (text.charAt(at)) {
          case 'n' -> numeric = true;
          case 'r' -> reverse = true;
          default -> { return; }
        }
      }
    }

    private boolean eat(char c) {
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }
  }

  /**
   * Equal specs order and partition alike: {@code "-n"} equals {@code "-n -k1"}, but no options at
   * all do not equal {@code "-k1"}, which Hadoop's partitioner hashes differently.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof KeyFieldSpec other && keys.equals(other.keys) && numeric == other.numeric
        && reverse == other.reverse && isDefault() == other.isDefault();
  }

  @Override
  public int hashCode() {
    return Objects.hash(keys, numeric, reverse, isDefault());
  }

  /** The options in canonical form; {@link #parse} of it gives an equal spec. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (numeric || reverse) {
      parts.add("-" + (numeric ? "n" : "") + (reverse ? "r" : ""));
    }
    if (explicitKeys) {
      keys.forEach(k -> parts.add(k.toString()));
    }
    return String.join(" ", parts);
  }
}
