package io.dflow.planner;

import io.dflow.api.plan.Step;
import java.util.List;

/**
 * A set of tasks that run the same fused pipeline over different inputs, between two shuffle
 * boundaries (or a source and an action).
 *
 * @param parents stages that must finish first (their shuffle outputs are this stage's input)
 */
public record Stage(int id, StageInput input, List<Step> pipeline, StageOutput output,
    List<Integer> parents) {

  public Stage {
    pipeline = List.copyOf(pipeline);
    parents = List.copyOf(parents);
  }

  public Stage withOutput(StageOutput newOutput) {
    return new Stage(id, input, pipeline, newOutput, parents);
  }

  public int numTasks() {
    return input.numTasks();
  }

  public TaskSpec task(int index) {
    return new TaskSpec(id, index, input.taskInput(index), pipeline, output);
  }

  /** {@code flatMap -> map}, or {@code (none)}. */
  public String pipelineText() {
    return pipeline.isEmpty() ? "(none)"
        : String.join(" -> ", pipeline.stream().map(Step::name).toList());
  }
}
