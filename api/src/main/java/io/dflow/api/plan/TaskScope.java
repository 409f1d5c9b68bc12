package io.dflow.api.plan;

/**
 * The task the current thread runs, as far as user-facing handles need it: a broadcast's value
 * and the counters a task adds to. The executor enters a scope around every task; code outside
 * any task (a driver) sees {@link #current()} return null.
 *
 * <p>Threading: the scope is per thread. A thread that user code starts inside a task is in no
 * scope: it cannot read broadcasts it has not read before, or add to counters.
 */
public final class TaskScope {
  /** What a running task offers user code. */
  public interface Services {
    /** The value of broadcast {@code id}, fetched and deserialised once per executor. */
    Object broadcastValue(long id);

    /** Adds to this task's share of a counter, reported when the task succeeds. */
    void addToCounter(String name, long delta);
  }

  private static final ThreadLocal<Services> CURRENT = new ThreadLocal<>();

  private TaskScope() {}

  /** The services of the task this thread runs, or null. */
  public static Services current() {
    return CURRENT.get();
  }

  /** Whether this thread runs a task. */
  public static boolean inTask() {
    return CURRENT.get() != null;
  }

  /** Makes {@code services} this thread's until {@link #exit()}. */
  public static void enter(Services services) {
    CURRENT.set(services);
  }

  public static void exit() {
    CURRENT.remove();
  }
}
