package io.dflow.api.mpi;

/** An MPI call that failed: its message names the call and MPI's own error string. */
public class MpiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MpiException(String message) {
    super(message);
  }
}
