package io.dflow.api.mpi;

import io.dflow.api.UserCodeException;
import io.dflow.api.plan.Step;
import io.dflow.api.plan.TaskScope;
import java.util.Iterator;

/**
 * The narrow step of {@code Dataset.mpi}: runs the user's function over the partition with the
 * gang's communicator. The planner makes every stage holding one a gang of {@link #ranks()}
 * tasks that start together as the ranks of one MPI job.
 */
public final class MpiStep implements Step {
  private static final long serialVersionUID = 1L;
  private final int ranks;
  private final MpiFunction<Object, Object> fn;

  @SuppressWarnings("unchecked")
  public MpiStep(int ranks, MpiFunction<?, ?> fn) {
    if (ranks < 1) {
      throw new IllegalArgumentException("an MPI stage needs at least 1 rank, got " + ranks);
    }
    this.ranks = ranks;
    this.fn = (MpiFunction<Object, Object>) fn;
  }

  /** How many ranks run the step together. */
  public int ranks() {
    return ranks;
  }

  @SuppressWarnings("unchecked")
  @Override
  public Iterator<Object> apply(int partition, Iterator<Object> input) {
    TaskScope.Services task = TaskScope.current();
    Communicator comm = task == null ? null : task.communicator();
    if (comm == null) {
      throw new IllegalStateException("mpi(" + ranks + ") runs only as a rank of an MPI gang");
    }
    try {
      return (Iterator<Object>) fn.apply(comm, input);
    } catch (Exception e) {
      throw UserCodeException.of(e);
    }
  }

  @Override
  public String name() {
    return "mpi(" + ranks + ")";
  }
}
