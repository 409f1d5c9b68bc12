package io.dflow.api.mpi;

/** A reduction of {@link Communicator#allReduce}: what MPI's {@code MPI_SUM}, {@code MPI_PROD}, {@code MPI_MIN} and {@code MPI_MAX} do. */
public enum Op {
  SUM, PROD, MIN, MAX
}
