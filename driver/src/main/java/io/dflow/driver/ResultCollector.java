package io.dflow.driver;

import io.dflow.api.Optional;
import io.dflow.api.plan.Action;
import io.dflow.driver.scheduler.ResultHandler;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.executor.task.TaskOutputs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes a job's per-partition results as they arrive and turns them into the action's value: a
 * count, a list, a merged value, or nothing. Bytes of records brought to the driver are counted
 * as they arrive, so a collect over the limit fails before the driver holds them all.
 */
final class ResultCollector implements ResultHandler {
  private final Action action;
  private final ClassLoader loader;
  private final byte[][] results;
  private final long maxBytes;
  private long bytes;

  ResultCollector(Action action, int partitions, ClassLoader loader) {
    this.action = action;
    this.loader = loader;
    this.results = new byte[partitions][];
    this.maxBytes = action instanceof Action.Collect c ? c.maxBytes()
        : action instanceof Action.Take t ? t.maxBytes() : Long.MAX_VALUE;
  }

  @Override
  public void taskSucceeded(int index, byte[] result) {
    if (result != null) {
      bytes += result.length;
      if (bytes > maxBytes) {
        throw new JobFailedException(action.describe() + " results passed " + maxBytes
            + " bytes (dflow.collect.maxBytes) with " + (index + 1) + " of " + results.length
            + " partitions in: write large results with saveAsTextFile");
      }
    }
    results[index] = result;
  }

  /** The action's value, once every partition's result is in. */
  Object value() {
    if (action instanceof Action.Count) {
      long total = 0;
      for (byte[] r : results) {
        total += TaskOutputs.countOf(r);
      }
      return total;
    }
    if (action instanceof Action.Collect || action instanceof Action.Take) {
      List<Object> all = new ArrayList<>();
      for (byte[] r : results) {
        all.addAll(read(r, List.class));
      }
      return all;
    }
    if (action instanceof Action.Reduce reduce) {
      Optional<Object> acc = Optional.empty();
      for (byte[] r : results) {
        @SuppressWarnings("unchecked")
        Optional<Object> part = read(r, Optional.class);
        if (part.isPresent()) {
          acc = Optional.of(acc.isPresent() ? reduce.merge(acc.get(), part.get()) : part.get());
        }
      }
      return acc;
    }
    if (action instanceof Action.Fold fold) {
      Object acc = fold.zero();
      for (byte[] r : results) {
        acc = fold.merge(acc, read(r, Object.class));
      }
      return acc;
    }
    return null;
  }

  private <T> T read(byte[] bytes, Class<T> type) {
    try {
      return JavaSerde.deserialize(bytes, loader, type);
    } catch (IOException e) {
      throw new JobFailedException("cannot read a task's result for " + action.describe() + ": " + e.getMessage());
    }
  }
}
