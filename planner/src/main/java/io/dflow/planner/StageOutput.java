package io.dflow.planner;

import io.dflow.api.plan.Action;
import io.dflow.api.plan.ShuffleSpec;
import java.io.Serializable;

/** What a stage's tasks do with the records their pipeline produces. */
public sealed interface StageOutput extends Serializable {
  String describe();

  /** Map side of a shuffle: partition, combine, write an Arrow shuffle file. */
  record ShuffleWrite(int shuffleId, ShuffleSpec spec) implements StageOutput {
    @Override
    public String describe() {
      String combine = spec.kind() == ShuffleSpec.Kind.REDUCE_BY_KEY ? " (combined map side)" : "";
      return "shuffle " + shuffleId + " " + spec.describe() + combine;
    }
  }

  /** The job's action. */
  record Result(Action action) implements StageOutput {
    @Override
    public String describe() {
      return action.describe();
    }
  }
}
