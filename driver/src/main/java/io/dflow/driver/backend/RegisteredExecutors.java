package io.dflow.driver.backend;

import io.dflow.executor.net.Connection;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.RegisterExecutor;
import io.dflow.executor.protocol.ExecutorId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor JVMs that registered with a backend's driver port, and which connection is
 * whose: what {@code local-cluster} and YARN share. Executors that register before
 * {@link #started} are the first ones; one that registers after it replaces a lost one and is
 * reported to the driver as added.
 *
 * <p>Threading: messages come on event loops; the backend's own thread waits in {@link #await}.
 * Whether an executor is one of the first or a replacement is decided under this object's lock.
 */
public final class RegisteredExecutors {
  private static final Logger LOG = LoggerFactory.getLogger(RegisteredExecutors.class);
  private final Map<ExecutorId, Remote> byId = new ConcurrentHashMap<>();
  private final Set<ExecutorId> ever = ConcurrentHashMap.newKeySet();
  /** First executors that had not registered when the first ones started: they join, they replace none. */
  private final Set<ExecutorId> late = ConcurrentHashMap.newKeySet();
  private boolean started;
  /** Where an executor runs, beyond its host (its container), or null: the backend's to say. */
  private final java.util.function.Function<ExecutorId, String> whereOf;

  /** For executors that need no more said of where they run than their host. */
  public RegisteredExecutors() {
    this(id -> null);
  }

  /** @param whereOf where the executor with an id runs (its container); may return null */
  public RegisteredExecutors(java.util.function.Function<ExecutorId, String> whereOf) {
    this.whereOf = whereOf;
  }

  /** An executor JVM that registered; {@code whereOf} says where it runs when asked (its container may be reported late). */
  public record Remote(ExecutorId id, String host, String address, int port, int slots, Connection connection,
      java.util.function.Function<ExecutorId, String> whereOf) implements ExecutorHandle {
    @Override
    public String where() {
      return whereOf.apply(id);
    }

    @Override
    public void send(ControlMessage message) {
      connection.send(message.encode());
    }
  }

  /**
   * What an executor sent: a registration is recorded (waking {@link #await}), and reported to
   * {@code driver} as an added executor once the first ones started; any other message goes to
   * the driver as from its sender, or is dropped if the sender has not registered.
   */
  public void onMessage(Connection from, ControlMessage message, DriverEndpoint driver) {
    if (message instanceof RegisterExecutor r) {
      Remote remote = new Remote(r.executor(), r.host(), r.address(), r.port(), r.slots(), from, whereOf);
      boolean added;
      boolean joinedLate;
      synchronized (this) {
        ever.add(r.executor());
        added = byId.put(r.executor(), remote) == null && started;
        joinedLate = added && late.remove(r.executor());
        notifyAll();
      }
      if (joinedLate) {
        driver.executorJoined(remote);
      } else if (added) {
        driver.executorAdded(remote);
      }
      return;
    }
    Remote sender = senderOf(from);
    if (sender == null) {
      LOG.warn("a {} from {}, which has not registered, was dropped", message.getClass().getSimpleName(), from);
      return;
    }
    driver.received(sender.id(), message);
  }

  /** The executor on {@code connection}, or null. */
  public Remote senderOf(Connection connection) {
    for (Remote r : byId.values()) {
      if (r.connection() == connection) {
        return r;
      }
    }
    return null;
  }

  public boolean contains(ExecutorId id) {
    return byId.containsKey(id);
  }

  /** Whether {@code id} registered at some time, lost since or not. */
  public boolean everRegistered(ExecutorId id) {
    return ever.contains(id);
  }

  /** Forgets a lost executor. */
  public void remove(ExecutorId id) {
    byId.remove(id);
  }

  public int size() {
    return byId.size();
  }

  public Collection<Remote> all() {
    return byId.values();
  }

  /** {@code id} is one of the first executors but joins after they started: it is reported as joined, not as a replacement. */
  public synchronized void joinsLate(ExecutorId id) {
    late.add(id);
  }

  /** Marks the first executors started: those registered now, returned; later ones are replacements. */
  public synchronized List<ExecutorHandle> started() {
    started = true;
    return List.copyOf(byId.values());
  }

  public synchronized boolean isStarted() {
    return started;
  }

  /**
   * Waits for a registration or a {@link #wake}, at most until {@code deadlineNanos} and 200 ms
   * (the caller checks again what else may have happened).
   */
  public synchronized void await(long deadlineNanos) throws java.io.IOException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      return;
    }
    try {
      wait(Math.min(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.IOException("interrupted while waiting for executors", e);
    }
  }

  /** Wakes {@link #await}: something a waiting backend checks changed. */
  public synchronized void wake() {
    notifyAll();
  }
}
