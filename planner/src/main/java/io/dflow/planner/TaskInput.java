package io.dflow.planner;

import io.dflow.api.plan.FileSplit;
import java.io.Serializable;
import java.util.List;

/**
 * The data of one partition of a source: a file split or a slice of a collection. Sent with
 * the task that reads it; every other input (shuffles, cached blocks) is found at run time.
 */
public sealed interface TaskInput extends Serializable {
  String describe();

  /** The hosts holding the input's bytes (empty: anywhere is as good). */
  List<String> hosts();

  /** Lines of a file split. */
  record ReadSplit(FileSplit split) implements TaskInput {
    @Override
    public String describe() {
      return "split " + split;
    }

    @Override
    public List<String> hosts() {
      return split.hosts();
    }
  }

  /** A slice of an in-memory collection. */
  record ReadSlice(List<Object> records) implements TaskInput {
    @Override
    public String describe() {
      return "slice of " + records.size() + " records";
    }

    @Override
    public List<String> hosts() {
      return List.of();
    }
  }
}
