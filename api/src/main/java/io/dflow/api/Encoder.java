package io.dflow.api;

import java.io.Serializable;

/**
 * Says how records of one stage output are laid out as Arrow columns when they cross a
 * shuffle. Java erases generics, so every typed step names its output encoder explicitly.
 *
 * <p>Scalars map to one Arrow column each, pairs to a key and a value column; any other
 * {@link Serializable} type is carried in a binary column as Java serialisation (correct,
 * but slower and larger than a typed column).
 */
public sealed interface Encoder<T> extends Serializable
    permits Encoder.Scalar, Encoder.PairOf, Encoder.JavaSerialized {

  /** The Java type of the records. */
  Class<?> type();

  /** A short, stable name used in plans and error messages. */
  String describe();

  /** The scalar types that map to one typed Arrow column. */
  enum ScalarKind {
    STRING(String.class), LONG(Long.class), INT(Integer.class), DOUBLE(Double.class),
    BOOLEAN(Boolean.class), BYTES(byte[].class);

    private final Class<?> type;

    ScalarKind(Class<?> type) {
      this.type = type;
    }

    public Class<?> type() {
      return type;
    }
  }

  /** One typed column. */
  record Scalar<T>(ScalarKind kind) implements Encoder<T> {
    @Override
    public Class<?> type() {
      return kind.type();
    }

    @Override
    public String describe() {
      return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A key column and a value column. */
  record PairOf<K, V>(Encoder<K> key, Encoder<V> value) implements Encoder<Pair<K, V>> {
    @Override
    public Class<?> type() {
      return Pair.class;
    }

    @Override
    public String describe() {
      return "pair<" + key.describe() + "," + value.describe() + ">";
    }
  }

  /** A binary column of Java-serialised objects: the fallback for any other type. */
  record JavaSerialized<T>(Class<T> javaType) implements Encoder<T> {
    @Override
    public Class<?> type() {
      return javaType;
    }

    @Override
    public String describe() {
      return "java<" + javaType.getSimpleName() + ">";
    }
  }
}
