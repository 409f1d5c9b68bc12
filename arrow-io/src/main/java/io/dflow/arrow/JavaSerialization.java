package io.dflow.arrow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/** Java serialisation of single values for binary columns, one self-contained stream each. */
final class JavaSerialization {
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

  static Object deserialize(byte[] bytes, DeserializationPolicy policy) throws IOException {
    try (ObjectInputStream in = new PolicyObjectInputStream(new ByteArrayInputStream(bytes), policy)) {
      return in.readObject();
    } catch (ClassNotFoundException e) {
      throw new IOException("class not found while deserialising a value: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // readObject of an allowed class can still fail on hostile field values.
      throw new IOException("cannot deserialise a value: " + e, e);
    }
  }

  private static final class PolicyObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    PolicyObjectInputStream(InputStream in, DeserializationPolicy policy) throws IOException {
      super(in);
      this.loader = policy.classLoader();
      setObjectInputFilter(policy.filter());
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc); // primitive types such as "int" resolve only here
      }
    }
  }
}
