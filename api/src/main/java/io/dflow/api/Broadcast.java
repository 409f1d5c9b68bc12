package io.dflow.api;

import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.TaskScope;
import java.io.Serializable;

/**
 * A read-only value shipped to each executor once per application, not once per task: capture
 * the handle in a function and call {@link #value()} inside it. Made by
 * {@link JobContext#broadcast}; the value is serialised when the broadcast is made, so later
 * changes to the driver's object are not seen by tasks.
 */
public final class Broadcast<T> implements Serializable {
  private final long id;
  /** The driver's own value, or an executor's once looked up. */
  private transient volatile T value;
  /** Set on the driver only. */
  private transient JobRunner owner;
  private transient volatile boolean destroyed;

  Broadcast(long id, T value, JobRunner owner) {
    this.id = id;
    this.value = value;
    this.owner = owner;
  }

  public long id() {
    return id;
  }

  /** The value: the driver's object on the driver, a copy per executor in tasks. */
  @SuppressWarnings("unchecked")
  public T value() {
    if (destroyed) {
      throw new IllegalStateException("broadcast " + id + " was destroyed");
    }
    T v = value;
    if (v != null) {
      return v;
    }
    TaskScope.Services task = TaskScope.current();
    if (task == null) {
      throw new IllegalStateException("broadcast " + id + " has no value here: use value() in a"
          + " function that runs in a task, or on the driver that made it");
    }
    v = (T) task.broadcastValue(id);
    value = v;
    return v;
  }

  /** Removes the value from the driver and every executor; tasks that use it afterwards fail. */
  public void destroy() {
    if (owner == null) {
      throw new IllegalStateException("broadcast " + id + " can only be destroyed on the driver");
    }
    destroyed = true;
    value = null;
    owner.destroyBroadcast(id);
  }

  @Override
  public String toString() {
    return "Broadcast(" + id + ")";
  }
}
