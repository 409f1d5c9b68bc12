package io.dflow.executor.mpi;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this installation can run MPI ranks, asked before a gang is launched so that a
 * missing piece fails the stage at once, naming what to install, rather than after
 * {@code mpirun} started ranks that cannot work.
 */
public final class MpiSupport {
  private MpiSupport() {}

  /**
   * What is missing to launch ranks with {@code mpirun} (a command name looked up on the
   * {@code PATH}, or a path), or null when nothing is.
   */
  public static String missing(String mpirun) {
    if (MpiSupport.class.getClassLoader().getResource(MpiNative.resource()) == null) {
      return "this dflow was built without its MPI library (" + MpiNative.resource() + " is not in the executor"
          + " jar: mpicc was missing at build time); install Open MPI (on Debian or Ubuntu: apt-get install "
          + MpiUnavailableException.PACKAGES + ") and build again";
    }
    if (!onPath(mpirun)) {
      return "cannot find " + mpirun + " (dflow.mpi.mpirun) to launch the ranks; install Open MPI (on Debian or"
          + " Ubuntu: apt-get install " + MpiUnavailableException.PACKAGES + ") or set dflow.mpi.mpirun";
    }
    return null;
  }

  private static boolean onPath(String command) {
    if (command.contains(File.separator)) {
      return Files.isExecutable(Path.of(command));
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
