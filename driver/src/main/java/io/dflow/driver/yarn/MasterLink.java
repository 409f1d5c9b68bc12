package io.dflow.driver.yarn;

import io.dflow.executor.net.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The driver's side of its link to the application master, across the master's attempts: the
 * attempt connected now, and the container requests not yet met. When YARN starts a new attempt
 * after one died, that master connects to the driver as the first did and is sent the launch
 * setup and every request still open again (the containers of the attempt that died are gone
 * with it); requests made while no master is connected wait for the next.
 *
 * <p>Threading: called from the transport's event loops and the backend's threads; guarded by
 * this object. Sends never block.
 */
final class MasterLink {
  private final CompletableFuture<Connection> first = new CompletableFuture<>();
  /** Executors whose containers have not come yet (or came and may die with their attempt), by id, oldest first. */
  private final Map<String, AmMessage.Request> open = new LinkedHashMap<>();
  private Connection current;
  private AmMessage.Setup setup;
  private int attempts;

  /** Completes when the first master connects. */
  CompletableFuture<Connection> first() {
    return first;
  }

  /**
   * A master said hello on {@code connection}: the first one, or a later attempt's, which is sent
   * the setup and the open requests. Returns the requests sent again (none for the first).
   */
  synchronized List<AmMessage.Request> connected(Connection connection) {
    current = connection;
    attempts++;
    if (!first.isDone()) {
      first.complete(connection);
      return List.of();
    }
    if (setup != null) {
      connection.send(setup.encode());
    }
    List<AmMessage.Request> again = new ArrayList<>(open.values());
    for (AmMessage.Request r : again) {
      connection.send(r.encode());
    }
    return again;
  }

  /** How many masters have connected: the application's attempts the driver has seen. */
  synchronized int attempts() {
    return attempts;
  }

  /** How executors are launched; sent to this master and to every later one. */
  synchronized void setup(AmMessage.Setup s) {
    setup = s;
    sendIfOpen(s);
  }

  /** Asks for a container (again, with new preferences, if the executor's request is open already). */
  synchronized void request(AmMessage.Request r) {
    open.put(r.executor(), r);
    sendIfOpen(r);
  }

  /** {@code executor}'s request was met for good: it registered, or its container ended. */
  synchronized void met(String executor) {
    open.remove(executor);
  }

  /** Sends {@code message} to the master connected now, if one is; returns whether it did. */
  synchronized boolean sendIfOpen(AmMessage message) {
    if (!isOpen()) {
      return false;
    }
    current.send(message.encode());
    return true;
  }

  synchronized boolean isOpen() {
    return current != null && current.isOpen();
  }

  synchronized boolean isCurrent(Connection connection) {
    return current == connection;
  }
}
