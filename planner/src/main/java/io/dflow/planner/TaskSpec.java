package io.dflow.planner;

import io.dflow.api.plan.Step;
import java.io.Serializable;
import java.util.List;

/**
 * Everything an executor needs to run one task, apart from where the shuffle outputs it reads
 * live (known only at run time): its input, the fused pipeline of narrow steps, its output.
 */
public record TaskSpec(int stageId, int index, TaskInput input, List<Step> pipeline,
    StageOutput output) implements Serializable {

  /** For errors: {@code stage 1 task 3 (split /in/a.txt:0+100)}. */
  public String describe() {
    return "stage " + stageId + " task " + index + " (" + input.describe() + ")";
  }
}
