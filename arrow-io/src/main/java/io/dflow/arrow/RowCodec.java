package io.dflow.arrow;

import io.dflow.api.Encoder;
import io.dflow.api.Pair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A compact binary layout of one record, for buffers that hold records serialised (rather than
 * as object graphs) and for spill files: each field is a presence byte, then 8 bytes for a long
 * or a double, 4 for an int, 1 for a boolean, or a length and the bytes for a string (UTF-8),
 * a byte array or a Java-serialised object. A pair is its key's field, then its value's.
 *
 * <p>Not thread safe for Java-serialised fields (they share a scratch buffer): one codec per task.
 */
public final class RowCodec {
  private final ColumnKind key;
  private final ColumnKind value;
  private final boolean pair;
  private final DeserializationPolicy policy;
  private final JavaSerialization.Buffer scratch = new JavaSerialization.Buffer();

  private RowCodec(Encoder<?> encoder, DeserializationPolicy policy) {
    this.policy = policy;
    if (encoder instanceof Encoder.PairOf<?, ?> p) {
      pair = true;
      key = ColumnKind.of(p.key());
      value = ColumnKind.of(p.value());
    } else {
      pair = false;
      key = ColumnKind.of(encoder);
      value = null;
    }
  }

  /** A codec for {@code encoder}'s records; Java-serialised fields are read back under {@code policy}. */
  public static RowCodec of(Encoder<?> encoder, DeserializationPolicy policy) {
    return new RowCodec(encoder, policy);
  }

  /** Appends {@code record}; returns the bytes it took. */
  public int write(Object record, RowOutput out) throws IOException {
    int start = out.length();
    if (pair) {
      Pair<?, ?> p = (Pair<?, ?>) record;
      writeField(key, p.key(), out);
      writeField(value, p.value(), out);
    } else {
      writeField(key, record, out);
    }
    return out.length() - start;
  }

  /** Reads one record. */
  public Object read(RowInput in) throws IOException {
    Object first = readField(key, in);
    return pair ? Pair.of(first, readField(value, in)) : first;
  }

  /** Reads only the key of a pair (or the whole record), leaving the input after the record. */
  public Object readKey(RowInput in) throws IOException {
    Object k = readField(key, in);
    if (pair) {
      skipField(value, in);
    }
    return k;
  }

  /** Whether the keys of this codec's rows are byte arrays, which {@link #bytesKeyLength} finds where they lie. */
  public boolean hasBytesKeys() {
    return key == ColumnKind.BYTES;
  }

  /**
   * The length of the byte-array key the row starts with, the input then at its first byte (so
   * the key can be read where it lies), or -1 for a null key.
   */
  public static int bytesKeyLength(RowInput in) throws IOException {
    int present = in.readByte();
    if (present == 0) {
      return -1;
    }
    if (present != 1) {
      throw new CorruptShuffleDataException("a field marker of " + present + " at offset " + (in.position() - 1));
    }
    return in.readVarInt();
  }

  private void writeField(ColumnKind field, Object v, RowOutput out) throws IOException {
    if (v == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte(1);
    switch (field) {
      case STRING -> {
        byte[] utf8 = ((String) v).getBytes(StandardCharsets.UTF_8);
        out.writeVarInt(utf8.length);
        out.writeBytes(utf8, 0, utf8.length);
      }
      case LONG -> out.writeLong((Long) v);
      case INT -> out.writeInt((Integer) v);
      case DOUBLE -> out.writeLong(Double.doubleToRawLongBits((Double) v));
      case BOOLEAN -> out.writeByte((Boolean) v ? 1 : 0);
      case BYTES -> {
        byte[] b = (byte[]) v;
        out.writeVarInt(b.length);
        out.writeBytes(b, 0, b.length);
      }
      case JAVA_SERIALIZED -> {
        JavaSerialization.serialize(v, scratch);
        out.writeVarInt(scratch.size());
        out.writeBytes(scratch.array(), 0, scratch.size());
      }
    }
  }

  private Object readField(ColumnKind field, RowInput in) throws IOException {
    int present = in.readByte();
    if (present == 0) {
      return null;
    }
    if (present != 1) {
      throw new CorruptShuffleDataException("a field marker of " + present + " at offset " + (in.position() - 1));
    }
    switch (field) {
      case STRING: {
        int n = in.readVarInt();
        int at = in.skip(n);
        return new String(in.array(), at, n, StandardCharsets.UTF_8);
      }
      case LONG:
        return in.readLong();
      case INT:
        return in.readInt();
      case DOUBLE:
        return Double.longBitsToDouble(in.readLong());
      case BOOLEAN:
        return in.readByte() != 0;
      case BYTES: {
        int n = in.readVarInt();
        int at = in.skip(n);
        return java.util.Arrays.copyOfRange(in.array(), at, at + n);
      }
      default: {
        int n = in.readVarInt();
        int at = in.skip(n);
        return JavaSerialization.deserialize(java.util.Arrays.copyOfRange(in.array(), at, at + n), policy);
      }
    }
  }

  private static void skipField(ColumnKind field, RowInput in) throws IOException {
    int present = in.readByte();
    if (present == 0) {
      return;
    }
    if (present != 1) {
      throw new CorruptShuffleDataException("a field marker of " + present + " at offset " + (in.position() - 1));
    }
    switch (field) {
      case LONG, DOUBLE -> in.skip(8);
      case INT -> in.skip(4);
      case BOOLEAN -> in.skip(1);
      default -> in.skip(in.readVarInt());
    }
  }
}
