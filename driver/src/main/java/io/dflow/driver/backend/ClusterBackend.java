package io.dflow.driver.backend;

import io.dflow.executor.net.TransportConf;
import io.dflow.executor.protocol.ExecutorId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where executors come from. {@code local[N]}, {@code local-cluster[E,N]} and YARN
 * containers ({@code io.dflow.driver.yarn}).
 */
public interface ClusterBackend extends AutoCloseable {
  /**
   * Starts the executors and returns them once all are ready to take tasks; a backend that asks
   * for them only at {@link #jobSubmitted} returns none, and reports them as they join.
   */
  List<ExecutorHandle> start(DriverEndpoint driver) throws IOException;

  /**
   * A job was submitted: its first tasks wait in the scheduler, which
   * {@link DriverEndpoint#pendingTaskHosts} now counts. A backend that asks a cluster manager for
   * executors near the data does so at the first job, when it knows where the data is. Returns
   * at once; a backend whose executors do not come ends the jobs through
   * {@link DriverEndpoint#applicationEnded}.
   */
  default void jobSubmitted() {}

  /** Where executor {@code id} keeps its files on its host: the MPI ranks holding its slots write its map outputs there. */
  Path executorDir(ExecutorId id);

  /** The settings (the secret above all) of this cluster's connections, which MPI ranks use too. */
  TransportConf transport();

  /** The command line of a JVM like this backend's executors, ready for a main class: how MPI ranks start. */
  List<String> javaCommand();

  /**
   * The address of the driver that executors reach it at, which MPI ranks on executors' hosts
   * connect back to (ranks on the driver's own machine use loopback).
   */
  default String driverHost() {
    return "127.0.0.1";
  }

  /** The application's scratch folder on the driver's host (logs, executors' folders). */
  Path appDir();

  /**
   * How the application ended, told before {@link #close}: a cluster manager is given it as the
   * application's final status. Nothing to do where there is no cluster manager.
   */
  default void outcome(boolean succeeded, String diagnostic) {}

  /** Stops every executor and deletes what they left on disk. */
  @Override
  void close();
}
