package io.dflow.planner;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.ShuffleSpec;
import java.io.Serializable;
import java.util.List;

/** What one task reads: a file split, a slice of a collection, or one reduce partition of a shuffle. */
public sealed interface TaskInput extends Serializable {
  String describe();

  /** Lines of a file split. */
  record ReadSplit(FileSplit split) implements TaskInput {
    @Override
    public String describe() {
      return "split " + split;
    }
  }

  /** A slice of an in-memory collection. */
  record ReadSlice(List<Object> records) implements TaskInput {
    @Override
    public String describe() {
      return "slice of " + records.size() + " records";
    }
  }

  /** Reduce partition {@code partition} of shuffle {@code shuffleId}, fetched from every map output. */
  record ReadShuffle(int shuffleId, int partition, ShuffleSpec spec) implements TaskInput {
    @Override
    public String describe() {
      return "shuffle " + shuffleId + " partition " + partition;
    }
  }
}
