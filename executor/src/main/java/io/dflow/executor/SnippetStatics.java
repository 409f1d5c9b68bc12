package io.dflow.executor;

import io.dflow.executor.serde.JavaSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values of a snippet class's static fields (where a shell keeps its variables), carried from
 * the driver to executors with the class. Only values that serialise are carried (a
 * {@code JobContext} or a {@code Dataset} does not, and stays null on executors), and none over
 * {@link #MAX_VALUE_BYTES}.
 */
public final class SnippetStatics {
  private static final Logger LOG = LoggerFactory.getLogger(SnippetStatics.class);
  /** Largest serialised static value sent with a class; a bigger one stays unset on executors. */
  public static final int MAX_VALUE_BYTES = 1 << 20;
  private static final byte[] NONE = new byte[0];

  private SnippetStatics() {}

  /** The serialisable static field values of {@code cls}, or an empty array when it has none. */
  public static byte[] capture(Class<?> cls) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Field f : cls.getDeclaredFields()) {
      int mod = f.getModifiers();
      if (!Modifier.isStatic(mod) || Modifier.isFinal(mod) || f.isSynthetic()) {
        continue;
      }
      try {
        f.setAccessible(true);
        Object value = f.get(null);
        if (value != null && JavaSerde.serialize(value).length <= MAX_VALUE_BYTES) {
          values.put(f.getName(), value);
        }
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LOG.debug("static {}.{} is not sent to executors: {}", cls.getName(), f.getName(), e.toString());
      }
    }
    return values.isEmpty() ? NONE : JavaSerde.serialize(values);
  }

  /** Sets the static fields of {@code cls} (just defined by {@code loader}) from what {@link #capture} wrote. */
  static void apply(Class<?> cls, byte[] captured, ClassLoader loader) {
    Map<?, ?> values;
    try {
      values = JavaSerde.deserialize(captured, loader, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the static values of snippet class " + cls.getName(), e);
    }
    for (Map.Entry<?, ?> e : values.entrySet()) {
      try {
        Field f = cls.getDeclaredField((String) e.getKey());
        f.setAccessible(true);
        f.set(null, e.getValue());
      } catch (ReflectiveOperationException | RuntimeException ex) {
        LOG.warn("cannot set {}.{} on this executor: {}", cls.getName(), e.getKey(), ex.toString());
      }
    }
  }
}
