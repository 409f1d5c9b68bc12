package io.dflow.executor.serde;

import io.dflow.arrow.DeserializationPolicy;
import io.dflow.arrow.JavaSerialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.util.List;

/**
 * Java serialisation for control messages, tasks (user closures) and small results, read back
 * only through an allow-list filter and with the job's class loader: a peer that passed the
 * handshake still cannot make us instantiate arbitrary classes from the class path.
 */
public final class JavaSerde {
  /** Packages whose serialisable classes may be read, besides the job jar's own classes. */
  private static final List<String> ALLOWED_PREFIXES = List.of(
      "java.lang.", "java.util.", "java.math.", "java.time.", "io.dflow.");
  private static final List<String> DENIED_PREFIXES = List.of(
      "java.util.concurrent.", "java.lang.reflect.", "java.lang.ProcessBuilder",
      "java.lang.Thread", "java.lang.Runtime", "java.lang.ClassLoader");

  /**
   * Deepest object graph read. Reading recurses several frames per level, and at about 500
   * levels a thread with the default 1 MiB stack (a task slot, a transport I/O thread) can
   * overflow before the filter says no; 100 leaves a wide margin over any task or result.
   */
  static final int MAX_DEPTH = 100;

  private JavaSerde() {}

  public static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException("not serialisable: " + e.getMessage()
          + " (captured by a function or held in a record?)", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads one object, resolving classes with {@code loader} and admitting only JDK value types,
   * dflow's own types, classes defined by {@code loader} itself (the job jar) and those a
   * {@link TrustedClasses} loader vouches for (a shell's jars, a test's own package). Every failure
   * to read, including one thrown by a class's own {@code readObject}, is an {@link IOException}.
   */
  public static <T> T deserialize(byte[] bytes, ClassLoader loader, Class<T> expected)
      throws IOException {
    Object value = JavaSerialization.deserialize(bytes, new DeserializationPolicy(loader, filter(loader)));
    if (!expected.isInstance(value)) {
      throw new InvalidClassException("expected " + expected.getName() + " but read "
          + (value == null ? "null" : value.getClass().getName()));
    }
    return expected.cast(value);
  }

  /** The allow-list filter described on {@link #deserialize}. */
  public static ObjectInputFilter filter(ClassLoader jobLoader) {
    return info -> {
      if (info.depth() > MAX_DEPTH || info.references() > 50_000_000L || info.arrayLength() > Integer.MAX_VALUE - 8) {
        return ObjectInputFilter.Status.REJECTED;
      }
      Class<?> cls = info.serialClass();
      if (cls == null) {
        return ObjectInputFilter.Status.UNDECIDED;
      }
      while (cls.isArray()) {
        cls = cls.getComponentType();
      }
      if (cls.isPrimitive() || allowed(cls, jobLoader)) {
        return ObjectInputFilter.Status.ALLOWED;
      }
      return ObjectInputFilter.Status.REJECTED;
    };
  }

  private static boolean allowed(Class<?> cls, ClassLoader jobLoader) {
    String name = cls.getName();
    for (String denied : DENIED_PREFIXES) {
      if (name.startsWith(denied)) {
        return name.startsWith("java.util.concurrent.atomic.");
      }
    }
    for (String prefix : ALLOWED_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    if (jobLoader instanceof TrustedClasses trusted && trusted.trusts(cls)) {
      return true;
    }
    ClassLoader own = cls.getClassLoader();
    return own != null && own == jobLoader && own != ClassLoader.getSystemClassLoader();
  }
}
