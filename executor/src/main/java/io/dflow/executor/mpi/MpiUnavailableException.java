package io.dflow.executor.mpi;

/**
 * This process cannot run MPI ranks: the executor was built without the JNI shim (no
 * {@code mpicc} at build time) or the system's Open MPI library is missing. The message says
 * which, and what to install.
 */
public class MpiUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The Debian packages that provide Open MPI's library, {@code mpirun} and {@code mpicc}. */
  public static final String PACKAGES = "openmpi-bin libopenmpi-dev";

  public MpiUnavailableException(String message) {
    super(message);
  }

  public MpiUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
