package io.dflow.api.mpi;

import java.io.Serializable;
import java.util.Iterator;

/**
 * The body of one rank of an MPI stage ({@code Dataset.mpi}): it gets the communicator of the
 * gang and its own partition, and returns the records of its partition of the result. Every
 * rank of the gang runs it at the same time, so it may call collectives.
 */
@FunctionalInterface
public interface MpiFunction<T, R> extends Serializable {
  Iterator<R> apply(Communicator comm, Iterator<T> partition) throws Exception;
}
