package io.dflow.api.plan;

import io.dflow.api.Encoder;
import io.dflow.api.io.BatchFunction;
import java.util.Iterator;

/**
 * The narrow step of {@code Dataset.mapBatches}: the user's function over each Arrow record
 * batch of the partition. The executor supplies the batches ({@link TaskScope.Services#mapBatches}):
 * straight from a columnar file when the step reads one, else packed from the input records
 * by {@link #inputEncoder()}.
 */
public final class BatchStep implements Step {
  private static final long serialVersionUID = 1L;
  private final BatchFunction<?> fn;
  private final Encoder<?> inputEncoder;

  public BatchStep(BatchFunction<?> fn, Encoder<?> inputEncoder) {
    this.fn = fn;
    this.inputEncoder = inputEncoder;
  }

  public BatchFunction<?> fn() {
    return fn;
  }

  /** How the records this step reads are laid out as columns. */
  public Encoder<?> inputEncoder() {
    return inputEncoder;
  }

  @Override
  public Iterator<Object> apply(int partition, Iterator<Object> input) {
    TaskScope.Services task = TaskScope.current();
    if (task == null) {
      throw new IllegalStateException("mapBatches runs only inside a task");
    }
    return task.mapBatches(input, this);
  }

  @Override
  public String name() {
    return "mapBatches";
  }
}
