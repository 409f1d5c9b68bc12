package io.dflow.driver.mpi;

import java.util.Map;

/** The environment {@code mpirun} and its rank JVMs run with, beyond the run's secret. */
final class RankEnvironment {
  private RankEnvironment() {}

  static final Map<String, String> VARIABLES = Map.of(
      // dflow's executors may run as root in containers; Open MPI refuses that unless told
      "OMPI_ALLOW_RUN_AS_ROOT", "1",
      "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1",
      // the JVM handles SIGSEGV, SIGBUS, SIGFPE and SIGILL itself (null checks, safepoints):
      // neither Open MPI nor UCX may put handlers of their own in its place
      "OMPI_MCA_opal_signal", "",
      "UCX_ERROR_SIGNALS", "");

  /** The variables {@code mpirun} exports to ranks on other hosts ({@code -x}). */
  static final java.util.List<String> EXPORTED = java.util.List.of("UCX_ERROR_SIGNALS");
}
