package io.dflow.arrow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Java serialisation of single values, one self-contained stream each: the binary columns of
 * shuffle segments, and (through the executor) tasks, control messages and results.
 */
public final class JavaSerialization {
  private JavaSerialization() {}

  /** A reusable output buffer whose backing array can be handed to Arrow without a copy. */
  static final class Buffer extends ByteArrayOutputStream {
    byte[] array() {
      return buf;
    }
  }

  static void serialize(Object value, Buffer into) throws IOException {
    into.reset();
    try (ObjectOutputStream out = new ObjectOutputStream(into)) {
      out.writeObject(value);
    }
  }

  /**
   * Reads one object from {@code bytes}: classes resolve through the policy's loader and must
   * pass its filter, and no array may be announced longer than the stream could fill (every
   * element takes at least a byte; the JDK collections' tables stay within a small multiple of
   * that), so a few hostile bytes cannot make us allocate gigabytes. Every failure, including
   * one thrown by an allowed class's own {@code readObject}, is an {@link IOException}; a class
   * that cannot be found is named.
   */
  public static Object deserialize(byte[] bytes, DeserializationPolicy policy) throws IOException {
    PolicyObjectInputStream in = new PolicyObjectInputStream(new ByteArrayInputStream(bytes), policy,
        2L * bytes.length + 64);
    try (in) {
      return in.readObject();
    } catch (ClassNotFoundException e) {
      throw new IOException("class not found while reading a serialised object: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      if (in.missingClass != null) {
        // a missing class often surfaces as something else, e.g. a record refusing the
        // unresolved lambda it was given: name the class, the real cause
        throw new IOException("class not found while reading a serialised object: " + in.missingClass, e);
      }
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot read a serialised object: " + e, e);
    }
  }

  private static final class PolicyObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;
    /** The first class that could not be found, if any. */
    String missingClass;

    PolicyObjectInputStream(InputStream in, DeserializationPolicy policy, long maxArrayLength)
        throws IOException {
      super(in);
      this.loader = policy.classLoader();
      ObjectInputFilter filter = policy.filter();
      setObjectInputFilter(info -> info.arrayLength() > maxArrayLength
          ? ObjectInputFilter.Status.REJECTED : filter.checkInput(info));
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        try {
          return super.resolveClass(desc); // primitive types such as "int" resolve only here
        } catch (ClassNotFoundException missing) {
          if (missingClass == null) {
            missingClass = desc.getName();
          }
          throw missing;
        }
      }
    }
  }
}
