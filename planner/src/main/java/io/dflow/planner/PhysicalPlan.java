package io.dflow.planner;

import io.dflow.api.plan.Action;
import java.util.List;
import java.util.Set;

/**
 * A job's stages in an order where every stage comes after its parents; the last one runs the
 * action.
 */
public record PhysicalPlan(Action action, List<Stage> stages) {
  public PhysicalPlan {
    stages = List.copyOf(stages);
  }

  public Stage resultStage() {
    return stages.get(stages.size() - 1);
  }

  public int totalTasks() {
    return stages.stream().mapToInt(Stage::numTasks).sum();
  }

  /** The plan as text: what {@code explain()} and {@code dflow explain} print. */
  public String explain() {
    return PlanPrinter.print(this, Set.of());
  }

  /** The plan as text, marking the map stages whose every shuffle is in {@code available} as skipped. */
  public String explain(Set<ShuffleId> available) {
    return PlanPrinter.print(this, available);
  }
}
