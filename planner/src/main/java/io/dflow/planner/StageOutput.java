package io.dflow.planner;

import io.dflow.api.plan.Action;
import io.dflow.api.plan.ShuffleSpec;
import java.io.Serializable;

/** What a stage's tasks do with the records of one of its sinks. */
public sealed interface StageOutput extends Serializable {
  String describe();

  /** Map side of a shuffle: partition, combine, write an Arrow shuffle file. */
  record ShuffleWrite(ShuffleId shuffle, ShuffleSpec spec) implements StageOutput {
    @Override
    public String describe() {
      String combine = spec.combinesMapSide() ? " (combined map side)" : "";
      return "write shuffle " + shuffle + " " + spec.describe() + combine;
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
