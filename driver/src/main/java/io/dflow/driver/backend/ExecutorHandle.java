package io.dflow.driver.backend;

import io.dflow.executor.protocol.ControlMessage.LaunchTask;

/** The driver's view of one executor: where it is, how many slots it has, how to send it a task. */
public interface ExecutorHandle {
  String id();

  /** The host name it advertises: what locality is judged by. */
  String host();

  /** The address other executors fetch its shuffle blocks from. */
  String address();

  /** The port its shuffle service listens on. */
  int port();

  int slots();

  /** Sends a task; must not block (called on the scheduler thread). */
  void launch(LaunchTask task);
}
