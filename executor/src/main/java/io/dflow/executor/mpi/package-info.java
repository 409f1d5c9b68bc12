/**
 * MPI ranks in the executor: {@link io.dflow.executor.mpi.NativeCommunicator} implements
 * {@link io.dflow.api.mpi.Communicator} over the system's Open MPI through a JNI shim
 * ({@code libdflowmpi.so}, built from {@code src/main/native} with {@code mpicc} and shipped
 * in the executor jar); {@link io.dflow.executor.mpi.RankMain}, the rank's main class, runs one
 * task of a gang stage with it; {@link io.dflow.executor.mpi.MpiSupport} tells the driver, before
 * it launches a gang, whether anything is missing. {@link io.dflow.executor.mpi.DaemonLauncher}
 * starts the Open MPI daemon of a gang on this executor's host when the driver asks (in place of
 * ssh), once {@link io.dflow.executor.mpi.OrtedCommand} has checked the command line.
 *
 * <p>A rank is a JVM that {@code mpirun} starts. Initialising MPI puts back the JVM's own
 * SIGSEGV, SIGBUS, SIGILL and SIGFPE handlers if a library MPI loaded (UCX does) replaced
 * them, since the JVM raises those signals on purpose; where the shim is missing (built
 * without {@code mpicc}) or Open MPI is not installed, starting MPI throws
 * {@link io.dflow.executor.mpi.MpiUnavailableException} naming the packages to install.
 *
 * <p>Threading: MPI is initialised once per process. A rank initialises it at
 * {@code MPI_THREAD_SINGLE} (system property {@code dflow.mpi.threadLevel=single}, cheaper
 * calls) on its main thread, which also runs the task, so only that thread may call the
 * communicator; at {@code MPI_THREAD_SERIALIZED}, the default elsewhere, any thread may, one at
 * a time. Nothing here is safe for concurrent calls. The daemon launcher is: network threads call
 * it, and each daemon has threads of its own that pass on its output and wait for its exit.
 */
package io.dflow.executor.mpi;
