package io.dflow.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Job jars by content hash: each is fetched once per executor, checked against its SHA-256,
 * and loaded in its own {@link JobClassLoader}.
 */
public final class JarCache implements ClassLoaderSource {
  /** Fetches the bytes of a jar by hash, from the driver. */
  @FunctionalInterface
  public interface JarFetcher {
    byte[] fetch(String sha256) throws IOException;
  }

  private final Path dir;
  private final JarFetcher fetcher;
  private final Map<String, ClassLoader> loaders = new ConcurrentHashMap<>();

  public JarCache(Path dir, JarFetcher fetcher) {
    this.dir = dir;
    this.fetcher = fetcher;
  }

  @Override
  public ClassLoader loaderFor(String sha256) throws IOException {
    if (sha256 == null) {
      return JarCache.class.getClassLoader();
    }
    try {
      return loaders.computeIfAbsent(sha256, this::load);
    } catch (JarLoadException e) {
      throw e.getCause();
    }
  }

  private ClassLoader load(String sha256) {
    try {
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
      return new JobClassLoader("job-" + sha256.substring(0, 12), jar.toUri().toURL(),
          JarCache.class.getClassLoader());
    } catch (IOException e) {
      throw new JarLoadException(e);
    }
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
