/**
 * How MPI gangs run: {@link io.dflow.driver.mpi.GangRunner} takes a gang whose slots the task
 * scheduler reserved, starts its ranks with {@code mpirun} ({@link io.dflow.driver.mpi.MpirunCommand}),
 * hands each rank its task when it connects, and reports the ranks' ends to the scheduler all
 * together; when any rank fails, exits, hangs or does not start, it kills the whole
 * {@code mpirun} process tree and reports why ({@link io.dflow.driver.mpi.MpirunLog} reads
 * which rank died how, and the end of its stderr). Where ranks are on other hosts,
 * {@code mpirun}'s launch agent ({@link io.dflow.driver.mpi.DaemonAgent}, run in place of ssh)
 * asks the {@link io.dflow.driver.mpi.DaemonRelay}, which has the executor on that host start the
 * host's Open MPI daemon.
 *
 * <p>Threading: a {@link io.dflow.driver.mpi.RunningGang} is changed under its own lock from the
 * scheduler's thread, network threads, its process watcher and the timeout timer; nothing here
 * blocks a network thread or the scheduler. The relay serves each agent on a worker thread.
 */
package io.dflow.driver.mpi;
