package io.dflow.driver;

import io.dflow.api.DflowJob;
import io.dflow.executor.JarCache;
import io.dflow.executor.JobClassLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * A user's job jar: its content hash (how executors cache it), an isolated class loader, and
 * the {@link DflowJob} class to run. {@link #builtIn()} stands for dflow's own classes, for a
 * job dflow itself provides ({@code dflow streaming}): no jar to ship, executors use their own.
 */
public final class JobJar implements AutoCloseable {
  private final Path path;
  private final String sha256;
  private final JobClassLoader loader;

  private JobJar(Path path, String sha256, JobClassLoader loader) {
    this.path = path;
    this.sha256 = sha256;
    this.loader = loader;
  }

  /** No jar: the job's classes are dflow's (a null hash tells executors to use their own class loader). */
  public static JobJar builtIn() {
    return new JobJar(null, null, null);
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
      return new JobJar(path, JarCache.sha256(bytes), loader);
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

  public ClassLoader loader() {
    return loader != null ? loader : JobJar.class.getClassLoader();
  }

  /** Instantiates {@code className}, or the manifest's Main-Class when it is null. */
  public DflowJob newJob(String className) throws JobSetupException {
    String name = className != null ? className : manifestMainClass();
    Class<?> cls;
    try {
      cls = Class.forName(name, true, loader);
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
    if (loader != null) {
      loader.close();
    }
  }
}
