package io.dflow.streaming;

import io.dflow.api.pipe.ChildCommand;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks, before any task runs, that a command's program can be run: a shipped file that is
 * executable, an absolute path to an executable file, or an executable found on {@code PATH}.
 * A relative path is refused: the command runs in the task's own working directory, where only
 * shipped files are. Executors of the local masters share the driver's machine, so what runs
 * here runs there.
 */
final class ProgramCheck {
  private ProgramCheck() {}

  /** Fails with what is wrong and how to fix it. */
  static void check(ChildCommand command, List<ShippedFile> shipped) {
    String program = command.words().get(0);
    for (ShippedFile file : shipped) {
      if (file.isNamedBy(program)) {
        if (!file.executable()) {
          throw new IllegalArgumentException(command.describe() + ": " + file.source()
              + ", shipped with -files, is not executable (chmod +x it, or run it through its interpreter, "
              + "e.g. \"python3 " + program + "\")");
        }
        return;
      }
    }
    if (program.contains("/")) {
      Path path;
      try {
        path = Path.of(program);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(command.describe() + ": " + program + " is not a path");
      }
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException(command.describe() + ": " + program + " is a relative path, but the "
            + "command runs in the task's own working directory: ship the file with -files (and run it as "
            + path.getFileName() + ") or give its absolute path");
      }
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(command.describe() + ": no such file " + program);
      }
      if (!Files.isExecutable(path)) {
        throw new IllegalArgumentException(command.describe() + ": " + program + " is not executable");
      }
      return;
    }
    String searched = System.getenv().getOrDefault("PATH", "");
    for (String dir : searched.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return;
      }
    }
    throw new IllegalArgumentException(command.describe() + ": command not found: " + program
        + " (not on PATH, and not a file shipped with -files)");
  }
}
