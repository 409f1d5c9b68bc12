package io.dflow.executor;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Scratch directories of drivers and executors: removed, with everything in them, at the end of a run. */
public final class LocalDirs {
  private static final Logger LOG = LoggerFactory.getLogger(LocalDirs.class);

  private LocalDirs() {}

  /** Deletes {@code dir} and its contents; logs what it could not delete. */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.getMessage());
    }
  }
}
