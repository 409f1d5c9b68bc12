package io.dflow.driver.scheduler;

import io.dflow.executor.protocol.StageId;
import io.dflow.planner.PartitionOp;
import io.dflow.planner.ShuffleId;
import io.dflow.planner.Stage;
import java.util.List;

/**
 * A stage as the DAG scheduler runs it: its plan, its parent stages, and its attempts. A map
 * stage belongs to the application (later jobs that need its shuffles reuse it); a result stage
 * belongs to one job.
 *
 * <pre>
 *            parents missing            a task set submitted
 * (new) ─────────────────────► WAITING ─────────────────────► RUNNING
 *   │                             ▲  every parent available      │ every task succeeded
 *   │ outputs exist               │                              ▼
 *   └──────────────────────► AVAILABLE ◄─── (map stage) ─── FINISHED (result stage)
 *                                 │ outputs lost (executor lost, fetch failed)
 *                                 └──► submitted again for its missing partitions
 *  a task out of attempts, or too many fetch failures ──► FAILED: its jobs fail
 * </pre>
 *
 * <p>The state lives in the DAG scheduler's sets (waiting, running) and in the map output
 * tracker (available), not in a field here. Threading: the scheduler's event loop only.
 */
final class ScheduledStage {
  final StageId id;
  final Stage plan;
  final List<ScheduledStage> parents;
  /** The job of a result stage; null for a map stage. */
  final ActiveJob job;
  final String label;
  final SerializedStage bytes;
  int nextAttempt;
  int fetchFailures;
  TaskSetManager current;

  ScheduledStage(StageId id, Stage plan, SerializedStage bytes, List<ScheduledStage> parents, ActiveJob job) {
    this.id = id;
    this.plan = plan;
    this.bytes = bytes;
    this.parents = List.copyOf(parents);
    this.job = job;
    this.label = "stage " + id + " (" + describe(plan) + ")";
  }

  boolean isResult() {
    return plan.isResult();
  }

  List<ShuffleId> shufflesWritten() {
    return plan.shufflesWritten();
  }

  /** Whether this stage reads {@code other}'s output, directly or through its parents. */
  boolean dependsOn(ScheduledStage other) {
    for (ScheduledStage p : parents) {
      if (p == other || p.dependsOn(other)) {
        return true;
      }
    }
    return false;
  }

  /** {@code textFile in (2 splits) -> flatMap -> mapToPair}: the stage's inputs and the pipeline of its first sink. */
  private static String describe(Stage plan) {
    StringBuilder chain = new StringBuilder();
    PartitionOp op = plan.sinks().get(0).root();
    java.util.ArrayDeque<String> steps = new java.util.ArrayDeque<>();
    while (op.inputs().size() == 1) {
      steps.addFirst(op.describe());
      op = op.inputs().get(0);
    }
    chain.append(op.describe());
    for (String s : steps) {
      chain.append(" -> ").append(s);
    }
    if (plan.sinks().size() > 1) {
      chain.append(", ").append(plan.sinks().size()).append(" outputs");
    }
    return chain.toString();
  }
}
