package io.dflow.api.plan;

import io.dflow.api.StorageLevel;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application state of a runner that plans jobs but ships nothing: {@code dflow explain}
 * and tests that build and plan datasets. It remembers which datasets are persisted (so plans
 * show them) and sums counters added on its side; a broadcast value is checked for
 * serialisability and given an id, and nothing is shipped.
 */
public abstract class PlanningRunner implements JobRunner {
  private final Map<Integer, StorageLevel> persisted = new ConcurrentHashMap<>();
  private final Map<String, Long> counters = new ConcurrentHashMap<>();
  private final AtomicLong nextBroadcast = new AtomicLong();

  /** The persisted datasets so far, by node id. */
  protected Map<Integer, StorageLevel> persisted() {
    return persisted;
  }

  @Override
  public void persist(LogicalNode node, StorageLevel level) {
    persisted.put(node.id(), level);
  }

  @Override
  public void unpersist(LogicalNode node) {
    persisted.remove(node.id());
  }

  /** @throws IllegalArgumentException if {@code value} cannot be serialised, as a real broadcast would */
  @Override
  public long broadcast(Object value) {
    try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("a broadcast value must be serialisable: " + e, e);
    }
    return nextBroadcast.getAndIncrement();
  }

  @Override
  public void destroyBroadcast(long id) {
    // nothing was shipped
  }

  @Override
  public void addToCounter(String name, long delta) {
    counters.merge(name, delta, Long::sum);
  }

  @Override
  public long counterValue(String name) {
    return counters.getOrDefault(name, 0L);
  }
}
