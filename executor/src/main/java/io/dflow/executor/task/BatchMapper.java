package io.dflow.executor.task;

import io.dflow.api.UserCodeException;
import io.dflow.api.io.BatchFunction;
import io.dflow.api.plan.BatchStep;
import io.dflow.arrow.BatchLimits;
import io.dflow.arrow.RecordBatcher;
import io.dflow.formats.ColumnarSplit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs a {@code mapBatches} function over a partition: each batch of a columnar split as it was
 * read, or the input records packed into batches by the step's input encoder. The next batch is
 * loaded only once the records the function made of the last one have all been taken, which
 * is what keeps a batch valid while its records are read.
 */
final class BatchMapper implements Iterator<Object> {
  private final Iterator<Object> input;
  private final ColumnarSplit columnar;
  private final BatchFunction<Object> fn;
  private final RecordBatcher batcher;
  private final Runnable progress;
  private Iterator<?> current = Collections.emptyIterator();

  @SuppressWarnings("unchecked")
  BatchMapper(Iterator<Object> input, BatchStep step, TaskContext ctx) {
    this.input = input;
    this.columnar = input instanceof ColumnarSplit c ? c : null;
    this.fn = (BatchFunction<Object>) step.fn();
    this.batcher = columnar != null ? null
        : ctx.closeLater(new RecordBatcher(step.inputEncoder(), ctx.allocator(), BatchLimits.DEFAULT));
    this.progress = ctx::progressed;
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext()) {
      VectorSchemaRoot batch = nextBatch();
      if (batch == null) {
        return false;
      }
      try {
        Iterator<?> made = fn.apply(batch);
        current = made == null ? Collections.emptyIterator() : made;
      } catch (Exception e) {
        throw UserCodeException.of(e);
      }
    }
    return true;
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }

  private VectorSchemaRoot nextBatch() {
    if (columnar != null) {
      return columnar.nextBatch();
    }
    batcher.clear();
    try {
      while (input.hasNext()) {
        progress.run();
        if (batcher.add(input.next())) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return batcher.rows() == 0 ? null : batcher.root();
  }
}
