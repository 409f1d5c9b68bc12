package io.dflow.driver;

import io.dflow.api.plan.Action;
import io.dflow.driver.scheduler.StageRun;
import io.dflow.executor.serde.JavaSerde;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Turns the result tasks' outcomes into an action's value: a count, a list, or nothing. */
final class ResultCollector {
  private ResultCollector() {}

  static Object collect(Action action, List<StageRun.Placed> results, ClassLoader jobLoader) {
    if (action instanceof Action.SaveText) {
      return null;
    }
    if (action instanceof Action.Count) {
      long total = 0;
      for (StageRun.Placed p : results) {
        total += read(p, jobLoader, Long.class);
      }
      return total;
    }
    long maxBytes = ((Action.Collect) action).maxBytes();
    long bytes = results.stream().mapToLong(p -> p.finished().result().length).sum();
    if (bytes > maxBytes) {
      throw new JobFailedException("collect() results are " + bytes + " bytes, over the limit of "
          + maxBytes + " (dflow.collect.maxBytes): write large results with saveAsTextFile");
    }
    List<Object> all = new ArrayList<>();
    for (StageRun.Placed p : results) {
      all.addAll(read(p, jobLoader, List.class));
    }
    return all;
  }

  private static <T> T read(StageRun.Placed placed, ClassLoader loader, Class<T> type) {
    try {
      return JavaSerde.deserialize(placed.finished().result(), loader, type);
    } catch (IOException e) {
      throw new JobFailedException("cannot read the result of " + placed.finished().attempt() + ": " + e.getMessage());
    }
  }
}
