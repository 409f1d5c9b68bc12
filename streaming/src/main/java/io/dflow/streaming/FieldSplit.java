package io.dflow.streaming;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.api.pipe.LineDecoder;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Hadoop Streaming's rule for cutting a line into key and value: the key is everything before
 * the {@code keyFields}-th occurrence of the separator, the value everything after it; a line
 * with fewer separators is all key, with an empty value. Used for the mapper's and the
 * reducer's output ({@code stream.map.output.field.separator} and
 * {@code stream.num.map.output.key.fields}, and their {@code reduce} twins) and for
 * {@code KeyValueTextInputFormat}'s lines.
 */
public record FieldSplit(byte[] separator, int keyFields) implements Serializable {
  public static final byte[] TAB = {'\t'};

  public FieldSplit {
    if (separator.length == 0) {
      throw new IllegalArgumentException("a field separator cannot be empty");
    }
    if (keyFields < 1) {
      throw new IllegalArgumentException("the number of key fields must be at least 1, got " + keyFields);
    }
  }

  /** From the text of a separator setting ({@code \t} by default) and a key field count. */
  public static FieldSplit of(String separator, int keyFields) {
    return new FieldSplit(separator.getBytes(StandardCharsets.UTF_8), keyFields);
  }

  /** Where the separator ending the key starts in {@code line}, or -1 if the line is all key. */
  public int keyEnd(byte[] line) {
    return keyEnd(line, 0, line.length);
  }

  /** Where the separator ending the key starts in the line {@code bytes[from, to)}, or -1 if it is all key. */
  int keyEnd(byte[] bytes, int from, int to) {
    int found = 0;
    int i = from;
    while ((i = indexOf(bytes, i, to)) >= 0) {
      if (++found == keyFields) {
        return i;
      }
      i += separator.length;
    }
    return -1;
  }

  /** The line as a key/value pair. */
  public Pair<byte[], byte[]> split(byte[] line) {
    return split(line, 0, line.length, null);
  }

  /** The line {@code bytes[from, to)} as a key/value pair; its value is {@code previous} if its bytes are equal. */
  private Pair<byte[], byte[]> split(byte[] bytes, int from, int to, byte[] previous) {
    int end = keyEnd(bytes, from, to);
    if (end < 0) {
      return Pair.of(Arrays.copyOfRange(bytes, from, to), new byte[0]);
    }
    int valueFrom = end + separator.length;
    byte[] value = previous != null && Arrays.equals(previous, 0, previous.length, bytes, valueFrom, to)
        ? previous : Arrays.copyOfRange(bytes, valueFrom, to);
    return Pair.of(Arrays.copyOfRange(bytes, from, end), value);
  }

  /**
   * The lines of a child's output cut into pairs by this rule, straight from the bytes they were
   * read into. A value equal to the previous line's shares its array (a word count's {@code 1}
   * is then one array, not one per record): records are never changed once made.
   */
  public LineDecoder pairs() {
    return new Pairs(this);
  }

  private record Pairs(FieldSplit split) implements LineDecoder {
    private static final Encoder<Pair<byte[], byte[]>> ENCODER = Encoders.pairs(Encoders.bytes(), Encoders.bytes());

    @Override
    public Object decode(byte[] bytes, int from, int to) {
      return open().decode(bytes, from, to);
    }

    @Override
    public Encoder<?> encoder() {
      return ENCODER;
    }

    @Override
    public LineDecoder open() {
      return new LineDecoder() {
        private byte[] lastValue;

        @Override
        public Object decode(byte[] bytes, int from, int to) {
          Pair<byte[], byte[]> pair = split.split(bytes, from, to, lastValue);
          lastValue = pair.value();
          return pair;
        }

        @Override
        public Encoder<?> encoder() {
          return ENCODER;
        }
      };
    }
  }

  /**
   * The line as Hadoop's text output writes the pair it splits into: key, {@code outSeparator},
   * value; so a line that is all key gets a trailing separator. The line itself when its
   * separator is the output's (no copy).
   */
  public byte[] rejoin(byte[] line, byte[] outSeparator) {
    int end = keyEnd(line);
    if (end < 0) {
      return concat(line, outSeparator, new byte[0]);
    }
    if (Arrays.equals(separator, outSeparator)) {
      return line;
    }
    return concat(Arrays.copyOfRange(line, 0, end), outSeparator,
        Arrays.copyOfRange(line, end + separator.length, line.length));
  }

  static byte[] concat(byte[] key, byte[] separator, byte[] value) {
    byte[] out = new byte[key.length + separator.length + value.length];
    System.arraycopy(key, 0, out, 0, key.length);
    System.arraycopy(separator, 0, out, key.length, separator.length);
    System.arraycopy(value, 0, out, key.length + separator.length, value.length);
    return out;
  }

  private int indexOf(byte[] line, int from, int to) {
    byte first = separator[0];
    outer:
    for (int i = from; i <= to - separator.length; i++) {
      if (line[i] != first) {
        continue;
      }
      for (int j = 1; j < separator.length; j++) {
        if (line[i + j] != separator[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSplit f && keyFields == f.keyFields && Arrays.equals(separator, f.separator);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(separator) + keyFields;
  }

  @Override
  public String toString() {
    return "FieldSplit[" + new String(separator, StandardCharsets.UTF_8) + ", " + keyFields + "]";
  }
}
