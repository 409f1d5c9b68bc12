package io.dflow.api.plan;

/**
 * The task the current thread runs, as far as user-facing handles need it: a broadcast's value,
 * the counters a task adds to, and what a child process started for the task is told. The executor enters a scope around every task; code outside
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

    /** Which task this is. */
    TaskInfo task();

    /** Says what the task is doing, for the progress display (only the latest message is kept). */
    void setStatus(String message);

    /** Where the record last read from the task's input file came from ({@code file F at byte offset N}), or null. */
    String inputPosition();

    /** The task's own scratch folder, made on first use and deleted when the task ends. */
    java.nio.file.Path workDir();

    /** A folder every task of this executor shares, for files fetched once per executor. */
    java.nio.file.Path sharedDir();

    /** Closes {@code resource} when the task ends, however it ends. */
    void closeAtEnd(java.io.Closeable resource);

    /** The communicator of the MPI gang this task is a rank of, or null when it is an ordinary task. */
    default io.dflow.api.mpi.Communicator communicator() {
      return null;
    }

    /** The records {@code step}'s function makes of the Arrow record batches of {@code input}. */
    default java.util.Iterator<Object> mapBatches(java.util.Iterator<Object> input, BatchStep step) {
      throw new UnsupportedOperationException("this task cannot give mapBatches Arrow batches");
    }
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
