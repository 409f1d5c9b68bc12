package io.dflow.streaming;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A file given with {@code -files} or {@code -file}: its bytes travel to each executor once (in
 * a broadcast), are kept there under their SHA-256 (so two jobs or two names of the same content
 * share one copy), and are linked into every task's working directory under {@code link}, as
 * Hadoop's distributed cache does. A file that was executable stays executable.
 */
public record ShippedFile(String link, String source, String sha256, boolean executable, byte[] bytes)
    implements Serializable {

  /** Reads the files of {@code -files} specs ({@code path} or {@code path#link}), failing with the path that cannot be read. */
  public static List<ShippedFile> read(List<String> specs) {
    List<ShippedFile> files = new ArrayList<>();
    for (String spec : specs) {
      int hash = spec.lastIndexOf('#');
      String path = hash < 0 ? spec : spec.substring(0, hash);
      Path file = Path.of(path.startsWith("file://") ? path.substring("file://".length()) : path);
      String link = hash < 0 ? file.getFileName().toString() : spec.substring(hash + 1);
      if (link.isEmpty() || link.contains("/") || link.equals(".") || link.equals("..")) {
        throw new IllegalArgumentException("-files " + spec + ": '" + link + "' is not a file name to link the file as");
      }
      if (files.stream().anyMatch(f -> f.link().equals(link))) {
        throw new IllegalArgumentException("-files: two files would be linked as " + link);
      }
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new IllegalArgumentException("-files " + spec + ": no such readable file " + file);
      }
      try {
        byte[] bytes = Files.readAllBytes(file);
        files.add(new ShippedFile(link, file.toString(), sha256(bytes), Files.isExecutable(file), bytes));
      } catch (IOException e) {
        throw new UncheckedIOException("-files " + spec + ": cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return files;
  }

  /** Whether a command's first word names this file: its link name, or {@code ./} and its link name. */
  boolean isNamedBy(String program) {
    return program.equals(link) || program.equals("./" + link);
  }

  /** Links this file into {@code workDir}, writing it first to the executor's copy under {@code sharedDir} if it is not there yet. */
  void linkInto(Path workDir, Path sharedDir) throws IOException {
    Path link = workDir.resolve(this.link);
    if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path copy = sharedDir.resolve("files").resolve(sha256 + (executable ? ".x" : ""));
    if (!Files.exists(copy)) {
      Files.createDirectories(copy.getParent());
      Path tmp = Files.createTempFile(copy.getParent(), sha256, ".tmp");
      Files.write(tmp, bytes);
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(tmp);
      mode.add(PosixFilePermission.OWNER_READ);
      if (executable) {
        mode.add(PosixFilePermission.OWNER_EXECUTE);
      }
      Files.setPosixFilePermissions(tmp, mode);
      try {
        Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        Files.deleteIfExists(tmp); // another task of this executor wrote the same bytes first
      }
    }
    Files.createSymbolicLink(link, copy);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
