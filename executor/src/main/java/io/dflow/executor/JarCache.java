package io.dflow.executor;

import io.dflow.executor.net.ClassNotServedException;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Job code by id: a job jar by its content hash (fetched once per executor, checked against its
 * SHA-256, loaded in its own {@link JobClassLoader}), or a shell's code ({@link #shellCodeId}):
 * the classes its snippets made, fetched by name from the driver into a {@link ShellClassLoader}
 * over the jars the shell was given.
 */
public final class JarCache implements ClassLoaderSource {
  /** The prefix of a shell's code id. */
  public static final String SHELL_PREFIX = "shell";

  /** Fetches the bytes of a jar by hash, from the driver. */
  @FunctionalInterface
  public interface JarFetcher {
    byte[] fetch(String sha256) throws IOException;
  }

  private final Path dir;
  private final JarFetcher fetcher;
  private final ShellClassLoader.ClassSource classes;
  private final Map<String, ClassLoader> loaders = new ConcurrentHashMap<>();

  /** For executors that serve no shell: a shell code id fails. */
  public JarCache(Path dir, JarFetcher fetcher) {
    this(dir, fetcher, name -> {
      throw new ClassNotServedException("this executor fetches no shell classes");
    });
  }

  /** @param classes where a shell's snippet classes come from (the driver) */
  public JarCache(Path dir, JarFetcher fetcher, ShellClassLoader.ClassSource classes) {
    this.dir = dir;
    this.fetcher = fetcher;
    this.classes = classes;
  }

  /**
   * The code id of a shell whose snippets run over {@code jarSha256s} (the jars of its
   * {@code --jars}, in order): {@code shell} or {@code shell:sha,sha}.
   */
  public static String shellCodeId(List<String> jarSha256s) {
    return jarSha256s.isEmpty() ? SHELL_PREFIX : SHELL_PREFIX + ":" + String.join(",", jarSha256s);
  }

  @Override
  public ClassLoader loaderFor(String codeId) throws IOException {
    if (codeId == null) {
      return JarCache.class.getClassLoader();
    }
    try {
      return loaders.computeIfAbsent(codeId, this::load);
    } catch (JarLoadException e) {
      throw e.getCause();
    }
  }

  private ClassLoader load(String codeId) {
    try {
      ClassLoader host = JarCache.class.getClassLoader();
      if (codeId.equals(SHELL_PREFIX) || codeId.startsWith(SHELL_PREFIX + ":")) {
        List<URL> jars = new ArrayList<>();
        if (codeId.length() > SHELL_PREFIX.length()) {
          for (String sha : codeId.substring(SHELL_PREFIX.length() + 1).split(",", -1)) {
            jars.add(jarFile(sha).toUri().toURL());
          }
        }
        ClassLoader parent = jars.isEmpty() ? host : new JobClassLoader("shell-jars", jars.toArray(URL[]::new), host);
        return new ShellClassLoader("shell", parent, classes);
      }
      return new JobClassLoader("job-" + codeId.substring(0, Math.min(12, codeId.length())),
          jarFile(codeId).toUri().toURL(), host);
    } catch (IOException e) {
      throw new JarLoadException(e);
    }
  }

  /** Fetches jar {@code sha256}, checks its hash and writes it under the cache folder. */
  private Path jarFile(String sha256) throws IOException {
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IOException("not a SHA-256 jar id: " + sha256);
    }
    byte[] bytes = fetcher.fetch(sha256);
    String actual = sha256(bytes);
    if (!actual.equals(sha256)) {
      throw new IOException("job jar " + sha256 + " arrived with hash " + actual);
    }
    Files.createDirectories(dir);
    Path jar = dir.resolve(sha256 + ".jar");
    Path tmp = Files.createTempFile(dir, sha256, ".part");
    Files.write(tmp, bytes);
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return jar;
  }

  /** The hex SHA-256 of {@code bytes}: a jar's id. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class JarLoadException extends RuntimeException {
    JarLoadException(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }
}
