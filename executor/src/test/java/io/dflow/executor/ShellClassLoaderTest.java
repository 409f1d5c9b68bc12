package io.dflow.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.executor.net.ClassNotServedException;
import io.dflow.executor.net.ServedClass;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A shell's class loader defines the classes its source serves, with their static values, asks
 * only for what its parent lacks, and asks once for a name that is refused.
 */
class ShellClassLoaderTest {
  /** A class with a static variable, as a snippet's wrapper class holds one. */
  public static final class Holder {
    public static int limit;
    public static String label;
    public static Thread notSerialisable;
  }

  private static byte[] classFile(Class<?> cls) throws IOException {
    try (InputStream in = cls.getResourceAsStream("/" + cls.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  @Test
  void definesServedClassesWithTheirStaticValuesAndAsksOnceForARefusedName() throws Exception {
    Holder.limit = 7;
    Holder.label = "seven";
    Holder.notSerialisable = Thread.currentThread();
    byte[] statics = SnippetStatics.capture(Holder.class);
    byte[] bytes = classFile(Holder.class);
    List<String> asked = new ArrayList<>();
    // a parent that cannot see the test classes, so the holder must come from the source
    ShellClassLoader loader = new ShellClassLoader("test", ClassLoader.getPlatformClassLoader(), name -> {
      asked.add(name);
      if (name.equals(Holder.class.getName())) {
        return new ServedClass(bytes, statics);
      }
      throw new ClassNotServedException(name + " is not served");
    });
    Class<?> copy = loader.loadClass(Holder.class.getName());
    assertSame(loader, copy.getClassLoader());
    assertEquals(7, copy.getField("limit").getInt(null));
    assertEquals("seven", copy.getField("label").get(null));
    assertEquals(null, copy.getField("notSerialisable").get(null), "a value that does not serialise stays unset");
    assertSame(copy, loader.loadClass(Holder.class.getName()));
    assertSame(String.class, loader.loadClass("java.lang.String"), "the parent answers first");
    assertThrows(ClassNotFoundException.class, () -> loader.loadClass("REPL.Missing"));
    assertThrows(ClassNotFoundException.class, () -> loader.loadClass("REPL.Missing"));
    assertEquals(List.of(Holder.class.getName(), "REPL.Missing"), asked);
  }

  @Test
  void aFetchThatFailsIsNotRememberedAsRefused() {
    AtomicInteger calls = new AtomicInteger();
    ShellClassLoader loader = new ShellClassLoader("test", ClassLoader.getPlatformClassLoader(), name -> {
      calls.incrementAndGet();
      throw new IOException("connection lost");
    });
    ClassNotFoundException e = assertThrows(ClassNotFoundException.class, () -> loader.loadClass("REPL.X"));
    assertTrue(e.getMessage().contains("connection lost"), e.getMessage());
    assertThrows(ClassNotFoundException.class, () -> loader.loadClass("REPL.X"));
    assertEquals(2, calls.get());
  }
}
