package io.dflow.arrow;

import io.dflow.api.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow columns an {@link Encoder}'s records travel in. A scalar is one nullable column
 * {@code value}; a pair is nullable {@code key} and {@code value} columns, where a component
 * that is not a scalar (a nested pair, any Java type) is a binary column of Java
 * serialisation; a Java type is one binary column {@code value}. Strings are UTF-8
 * ({@code Utf8}), longs {@code Int(64)}, ints {@code Int(32)}, doubles
 * {@code FloatingPoint(DOUBLE)}, booleans {@code Bool}, byte arrays {@code Binary}.
 *
 * <p>The schema carries the encoder's description as metadata under
 * {@value #ENCODER_METADATA_KEY}, so a segment read with a different encoder is refused.
 */
public final class RecordLayout {
  /** Schema metadata key holding {@link Encoder#describe()}. */
  public static final String ENCODER_METADATA_KEY = "dflow.encoder";

  private final Encoder<?> encoder;
  private final List<ColumnKind> columns;
  private final Schema schema;
  private final byte[] schemaMessage;

  private RecordLayout(Encoder<?> encoder) {
    this.encoder = encoder;
    List<ColumnKind> kinds = new ArrayList<>(2);
    List<Field> fields = new ArrayList<>(2);
    if (encoder instanceof Encoder.PairOf<?, ?> pair) {
      add("key", ColumnKind.of(pair.key()), kinds, fields);
      add("value", ColumnKind.of(pair.value()), kinds, fields);
    } else {
      add("value", ColumnKind.of(encoder), kinds, fields);
    }
    this.columns = List.copyOf(kinds);
    this.schema = new Schema(fields, Map.of(ENCODER_METADATA_KEY, encoder.describe()));
    this.schemaMessage = serialize(schema);
  }

  /** The layout of {@code encoder}'s records. */
  public static RecordLayout of(Encoder<?> encoder) {
    return new RecordLayout(Objects.requireNonNull(encoder, "encoder"));
  }

  public Encoder<?> encoder() {
    return encoder;
  }

  public Schema schema() {
    return schema;
  }

  /** True if records are {@link io.dflow.api.Pair}s split into key and value columns. */
  public boolean isPair() {
    return encoder instanceof Encoder.PairOf<?, ?>;
  }

  int columnCount() {
    return columns.size();
  }

  ColumnKind column(int index) {
    return columns.get(index);
  }

  /** The framed IPC schema message every non-empty segment starts with (do not modify). */
  byte[] schemaMessage() {
    return schemaMessage;
  }

  private static void add(String name, ColumnKind kind, List<ColumnKind> kinds, List<Field> fields) {
    kinds.add(kind);
    fields.add(new Field(name, FieldType.nullable(kind.arrowType()), null));
  }

  private static byte[] serialize(Schema schema) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      MessageSerializer.serialize(new WriteChannel(Channels.newChannel(bytes)), schema);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to memory", e);
    }
    return bytes.toByteArray();
  }
}
