package io.dflow.executor.serde;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
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
   * dflow's own types and classes defined by {@code loader} itself (the job jar). Every failure
   * to read, including one thrown by a class's own {@code readObject}, is an {@link IOException}.
   */
  public static <T> T deserialize(byte[] bytes, ClassLoader loader, Class<T> expected)
      throws IOException {
    LoaderObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader);
    try (in) {
      in.setObjectInputFilter(arraysWithin(bytes.length, filter(loader)));
      Object value = in.readObject();
      if (!expected.isInstance(value)) {
        throw new InvalidClassException("expected " + expected.getName() + " but read "
            + (value == null ? "null" : value.getClass().getName()));
      }
      return expected.cast(value);
    } catch (ClassNotFoundException e) {
      throw new IOException("class not found while reading a serialised object: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      if (in.missingClass != null) {
        // a missing class often surfaces as something else, e.g. a record refusing the
        // unresolved lambda it was given: name the class, the real cause
        throw new IOException("class not found while reading a serialised object: "
            + in.missingClass, e);
      }
      if (e instanceof IOException io) {
        throw io;
      }
      // an allowed class's readObject can still fail on hostile or damaged field values
      throw new IOException("cannot read a serialised " + expected.getName() + ": " + e, e);
    }
  }

  /**
   * Rejects arrays far longer than the stream could fill: every element takes at least a byte
   * (the JDK collections' table sizes stay within a small multiple of that), so a few bytes
   * announcing a huge length are refused before the array is allocated.
   */
  private static ObjectInputFilter arraysWithin(long streamBytes, ObjectInputFilter filter) {
    long maxLength = 2 * streamBytes + 64;
    return info -> info.arrayLength() > maxLength ? ObjectInputFilter.Status.REJECTED
        : filter.checkInput(info);
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
    ClassLoader own = cls.getClassLoader();
    return own != null && own == jobLoader && own != ClassLoader.getSystemClassLoader();
  }

  /** Resolves classes with a given loader instead of the caller's. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;
    /** The first class that could not be found, if any. */
    String missingClass;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        try {
          return super.resolveClass(desc); // primitive types such as "int" resolve only here
        } catch (ClassNotFoundException missing) {
          missingClass = missingClass == null ? desc.getName() : missingClass;
          throw missing;
        }
      }
    }
  }
}
