/**
 * What a tightly coupled stage is written against: {@code Dataset.mpi(ranks, fn, encoder)} runs
 * {@link io.dflow.api.mpi.MpiFunction} as a gang of Open MPI ranks that all run at once, each
 * over one partition, talking through a {@link io.dflow.api.mpi.Communicator}. The
 * implementation (a JNI shim over the system's Open MPI) lives in the executor; jobs need only
 * this package.
 *
 * <p>Threading: a communicator is used by its rank's task thread only.
 */
package io.dflow.api.mpi;
