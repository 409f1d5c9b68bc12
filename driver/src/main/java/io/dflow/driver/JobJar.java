package io.dflow.driver;

import io.dflow.api.DflowJob;
import io.dflow.executor.JarCache;
import io.dflow.executor.JobClassLoader;
import io.dflow.executor.net.ClassResolver;
import io.dflow.executor.net.ServedClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * A user's job jar: its content hash (how executors cache it), an isolated class loader, and
 * the {@link DflowJob} class to run. {@link #builtIn()} stands for dflow's own classes, for a
 * job dflow itself provides ({@code dflow streaming}): no jar to ship, executors use their own.
 * {@link #forShell} stands for a shell's code: the classes its snippets make, served by name,
 * over the jars it was given; {@link #onClassPath} for a test's in-process session.
 */
public final class JobJar implements AutoCloseable {
  private final Path path;
  private final String sha256;
  private final ClassLoader loader;
  private final Map<String, Path> servedJars;
  private final ClassResolver classes;
  private final AutoCloseable onClose;

  private JobJar(Path path, String sha256, ClassLoader loader, Map<String, Path> servedJars,
      ClassResolver classes, AutoCloseable onClose) {
    this.path = path;
    this.sha256 = sha256;
    this.loader = loader;
    this.servedJars = Map.copyOf(servedJars);
    this.classes = classes;
    this.onClose = onClose;
  }

  /** No jar: the job's classes are dflow's (a null hash tells executors to use their own class loader). */
  public static JobJar builtIn() {
    return new JobJar(null, null, null, Map.of(), ClassResolver.NONE, null);
  }

  /**
   * Job classes on the class path, read through {@code loader} (the test kit's, which names the
   * classes it trusts): in-process {@code local[N]} sessions only, since executors in other JVMs
   * get no code to load.
   */
  public static JobJar onClassPath(ClassLoader loader) {
    return new JobJar(null, null, loader, Map.of(), ClassResolver.NONE, null);
  }

  /**
   * A shell's code.
   *
   * @param codeId what executors load it by ({@link io.dflow.executor.JarCache#shellCodeId})
   * @param loader the shell's class loader on the driver (its snippet classes over its jars)
   * @param jars the shell's jars by SHA-256, served to executors
   * @param classes the snippet classes, served to executors by name
   * @param onClose run when the shell ends (closes its class loaders)
   */
  public static JobJar forShell(String codeId, ClassLoader loader, Map<String, Path> jars, ClassResolver classes,
      AutoCloseable onClose) {
    return new JobJar(null, codeId, loader, jars, classes, onClose);
  }

  /** Opens {@code path}, failing with a clear message if it is missing or not a jar. */
  public static JobJar open(Path path) throws JobSetupException {
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new JobSetupException("cannot read job jar " + path + ": no such readable file");
    }
    try (JarFile jar = new JarFile(path.toFile())) {
      jar.size();
    } catch (IOException e) {
      throw new JobSetupException("cannot read job jar " + path + ": not a jar file (" + e.getMessage() + ")");
    }
    try {
      byte[] bytes = Files.readAllBytes(path);
      JobClassLoader loader = new JobClassLoader("job", path.toUri().toURL(),
          JobJar.class.getClassLoader());
      String sha = JarCache.sha256(bytes);
      return new JobJar(path, sha, loader, Map.of(sha, path), ClassResolver.NONE, loader);
    } catch (IOException e) {
      throw new JobSetupException("cannot read job jar " + path + ": " + e.getMessage());
    }
  }

  public Path path() {
    return path;
  }

  public String sha256() {
    return sha256;
  }

  /** The jar executors may fetch as {@code jar/<sha256>}, or null when there is no such jar here. */
  public Path servedJar(String sha256) {
    return servedJars.get(sha256);
  }

  /** A class executors may fetch by name (a shell's snippet class), or null. */
  public ServedClass servedClass(String binaryName) {
    return classes.resolve(binaryName);
  }

  public ClassLoader loader() {
    return loader != null ? loader : JobJar.class.getClassLoader();
  }

  /** Instantiates {@code className}, or the manifest's Main-Class when it is null. */
  public DflowJob newJob(String className) throws JobSetupException {
    String name = className != null ? className : manifestMainClass();
    Class<?> cls;
    try {
      cls = Class.forName(name, true, loader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new JobSetupException("class " + name + " not found in job jar " + path);
    }
    if (!DflowJob.class.isAssignableFrom(cls)) {
      throw new JobSetupException("class " + name + " does not implement " + DflowJob.class.getName());
    }
    try {
      return (DflowJob) cls.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new JobSetupException("cannot instantiate " + name + ": it needs a public no-argument constructor ("
          + e + ")");
    }
  }

  private String manifestMainClass() throws JobSetupException {
    try (JarFile jar = new JarFile(path.toFile())) {
      String main = jar.getManifest() == null ? null
          : jar.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
      if (main == null) {
        throw new JobSetupException("no --class given and job jar " + path + " names no Main-Class");
      }
      return main;
    } catch (IOException e) {
      throw new JobSetupException("cannot read job jar " + path + ": " + e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {
    if (onClose == null) {
      return;
    }
    try {
      onClose.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
