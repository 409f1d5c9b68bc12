package io.dflow.driver.backend;

import java.io.IOException;
import java.util.List;

/**
 * Where executors come from. {@code local[N]} and {@code local-cluster[E,N]} today; YARN
 * containers later implement the same two calls.
 */
public interface ClusterBackend extends AutoCloseable {
  /** Starts the executors and returns them once all are ready to take tasks. */
  List<ExecutorHandle> start(DriverEndpoint driver) throws IOException;

  /** Stops every executor and deletes what they left on disk. */
  @Override
  void close();
}
