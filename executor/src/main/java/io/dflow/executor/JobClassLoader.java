package io.dflow.executor;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

/**
 * Loads a job jar's classes child-first, so a job's own copy of a library wins over the one
 * dflow happens to have, while the JDK and dflow's own types are always shared with the host
 * (the job talks to dflow through them). The same rule as Hadoop's job class loader.
 */
public final class JobClassLoader extends URLClassLoader {
  private static final List<String> SHARED_PREFIXES = List.of(
      "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.slf4j.",
      "io.dflow.api.", "io.dflow.planner.", "io.dflow.arrow.", "io.dflow.hdfs.",
      "io.dflow.executor.", "io.dflow.driver.");

  static {
    ClassLoader.registerAsParallelCapable();
  }

  public JobClassLoader(String name, URL jar, ClassLoader parent) {
    this(name, new URL[] {jar}, parent);
  }

  /** Over several jars at once (a shell's {@code --jars}), searched in order. */
  public JobClassLoader(String name, URL[] jars, ClassLoader parent) {
    super(name, jars, parent);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (isShared(name)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> cls = findLoadedClass(name);
      if (cls == null) {
        try {
          cls = findClass(name);
        } catch (ClassNotFoundException e) {
          cls = getParent().loadClass(name);
        }
      }
      if (resolve) {
        resolveClass(cls);
      }
      return cls;
    }
  }

  @Override
  public URL getResource(String name) {
    URL own = findResource(name);
    return own != null ? own : super.getResource(name);
  }

  private static boolean isShared(String name) {
    for (String prefix : SHARED_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
