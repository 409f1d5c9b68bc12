package io.dflow.driver.shell;

import io.dflow.executor.ShellClassLoader;
import io.dflow.executor.SnippetStatics;
import io.dflow.executor.net.ClassNotServedException;
import io.dflow.executor.net.ClassResolver;
import io.dflow.executor.net.ServedClass;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;

/**
 * The classes JShell compiles for the shell's snippets, captured as it loads them: defined here
 * in the driver (a {@link ShellClassLoader} over the shell's jars) and served by name to
 * executors, each with the current values of its static fields. Only these classes are served:
 * a name JShell did not generate is refused, whatever the driver's class path holds.
 *
 * <p>Threading: JShell loads on the shell's thread; executors' requests are answered on network
 * threads; the map is concurrent and a class's bytes never change once stored.
 */
final class SnippetClasses implements LoaderDelegate, ClassResolver {
  private static final byte[] NO_STATICS = new byte[0];

  private final Map<String, byte[]> bytecode = new ConcurrentHashMap<>();
  private final ShellClassLoader loader;

  SnippetClasses(ClassLoader parent) {
    this.loader = new ShellClassLoader("shell", parent, name -> {
      byte[] bytes = bytecode.get(name);
      if (bytes == null) {
        throw new ClassNotServedException(name + " is not a snippet class");
      }
      return new ServedClass(bytes, NO_STATICS);
    });
  }

  /** The driver's loader of snippet classes: the job's class loader of a shell. */
  ShellClassLoader loader() {
    return loader;
  }

  /** The names of the classes the snippets made so far. */
  java.util.Set<String> names() {
    return java.util.Set.copyOf(bytecode.keySet());
  }

  /** How many classes the snippets made so far. */
  int size() {
    return bytecode.size();
  }

  @Override
  public void load(ClassBytecodes[] classes) throws ClassInstallException {
    boolean[] installed = new boolean[classes.length];
    for (ClassBytecodes c : classes) {
      byte[] before = bytecode.putIfAbsent(c.name(), c.bytecodes());
      if (before != null && !java.util.Arrays.equals(before, c.bytecodes())) {
        // executors may hold the old bytes: a changed class must come under a new name
        throw new ClassInstallException("snippet class " + c.name() + " changed after it was loaded", installed);
      }
    }
    for (int i = 0; i < classes.length; i++) {
      try {
        loader.loadClass(classes[i].name());
        installed[i] = true;
      } catch (ClassNotFoundException | LinkageError e) {
        throw new ClassInstallException("cannot load snippet class " + classes[i].name() + ": " + e, installed);
      }
    }
  }

  @Override
  public void classesRedefined(ClassBytecodes[] classes) {
    // never called: redefinition is refused (see InProcessEngine), so a class's bytes never change
  }

  @Override
  public void addToClasspath(String path) {
    // the shell's class path (dflow, its --jars) is on the parent loader already; this only feeds the compiler
  }

  @Override
  public Class<?> findClass(String name) throws ClassNotFoundException {
    return loader.loadClass(name);
  }

  /** For an executor: the class's bytes and its static values now, if the snippets made it. */
  @Override
  public ServedClass resolve(String binaryName) {
    byte[] bytes = bytecode.get(binaryName);
    if (bytes == null) {
      return null;
    }
    Class<?> cls = loader.loaded(binaryName);
    return new ServedClass(bytes, cls == null ? NO_STATICS : SnippetStatics.capture(cls));
  }
}
