package io.dflow.executor;

import io.dflow.executor.net.ClassNotServedException;
import io.dflow.executor.net.ServedClass;
import io.dflow.executor.serde.TrustedClasses;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes a shell's snippets made, loaded by name from where they are kept: on an executor,
 * fetched from the driver over the authenticated transport; on the driver, from the shell's own
 * store. Parent first, so the JDK, dflow and the shell's jars win; only what they lack is asked
 * for, and a name once refused is not asked for again. A class arrives with the values its
 * static fields had on the driver ({@link SnippetStatics}), so a lambda that reads a variable of
 * an earlier snippet sees its value, not a zero.
 *
 * <p>Deserialisation reads the snippet classes and those of the shell's jars (its parent, a
 * {@link JobClassLoader}), nothing else of the class path ({@link TrustedClasses}).
 *
 * <p>A snippet class never changes once made (the shell gives a changed declaration a new class),
 * so a class loaded here stays right for the whole session.
 */
public final class ShellClassLoader extends ClassLoader implements TrustedClasses {
  /** Where the classes come from. */
  @FunctionalInterface
  public interface ClassSource {
    /**
     * @throws ClassNotServedException when there is no such snippet class
     * @throws IOException when it cannot be fetched
     */
    ServedClass fetch(String binaryName) throws IOException;
  }

  static {
    ClassLoader.registerAsParallelCapable();
  }

  private final ClassSource source;
  private final Set<String> refused = ConcurrentHashMap.newKeySet();

  public ShellClassLoader(String name, ClassLoader parent, ClassSource source) {
    super(name, parent);
    this.source = source;
  }

  /** The classes of the shell's jars: its parent, when that is a {@link JobClassLoader}. */
  @Override
  public boolean trusts(Class<?> cls) {
    return getParent() instanceof JobClassLoader jars && cls.getClassLoader() == jars;
  }

  /** The class {@code name} if this loader defined it already, else null; never loads anything. */
  public Class<?> loaded(String name) {
    return findLoadedClass(name);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    if (refused.contains(name)) {
      throw new ClassNotFoundException(name);
    }
    ServedClass served;
    try {
      served = source.fetch(name);
    } catch (ClassNotServedException e) {
      refused.add(name);
      throw new ClassNotFoundException(name);
    } catch (IOException e) {
      throw new ClassNotFoundException(name + ": cannot fetch it from the shell: " + e.getMessage(), e);
    }
    Class<?> cls = defineClass(name, served.bytecode(), 0, served.bytecode().length);
    if (served.attachment().length > 0) {
      SnippetStatics.apply(cls, served.attachment(), this);
    }
    return cls;
  }
}
