package io.dflow.driver.backend;

import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ExecutorId;

/** The driver's view of one executor: where it is, how many slots it has, how to send it a message. */
public interface ExecutorHandle {
  ExecutorId id();

  /** The host name it advertises: what locality is judged by. */
  String host();

  /** The address other executors fetch its blocks from. */
  String address();

  /** The port its block service listens on. */
  int port();

  int slots();

  /**
   * Where it runs, when that says more than its id and host: a YARN executor's container and
   * node. Null when there is nothing more to say.
   */
  default String where() {
    return null;
  }

  /** Sends a message; must not block (called on the scheduler thread). Messages arrive in order. */
  void send(ControlMessage message);
}
