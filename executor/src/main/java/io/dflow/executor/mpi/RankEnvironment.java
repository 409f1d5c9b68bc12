package io.dflow.executor.mpi;

import java.util.List;
import java.util.Map;

/**
 * The environment Open MPI's processes run with, beyond the run's secret: {@code mpirun} and its
 * rank JVMs on the driver's machine, and the Open MPI daemons executors start on other hosts.
 */
public final class RankEnvironment {
  private RankEnvironment() {}

  public static final Map<String, String> VARIABLES = Map.of(
      // dflow's executors may run as root in containers; Open MPI refuses that unless told
      "OMPI_ALLOW_RUN_AS_ROOT", "1",
      "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1",
      // the JVM handles SIGSEGV, SIGBUS, SIGFPE and SIGILL itself (null checks, safepoints):
      // neither Open MPI nor UCX may put handlers of their own in its place
      "OMPI_MCA_opal_signal", "",
      "UCX_ERROR_SIGNALS", "");

  /** The variables {@code mpirun} exports to ranks on other hosts ({@code -x}). */
  public static final List<String> EXPORTED = List.of("UCX_ERROR_SIGNALS");
}
