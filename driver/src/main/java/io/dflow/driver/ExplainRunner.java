package io.dflow.driver;

import io.dflow.api.plan.Action;
import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.LogicalNode;
import io.dflow.api.plan.PlanningRunner;
import io.dflow.planner.PlanInputs;
import io.dflow.planner.Planner;
import io.dflow.planner.PlannerConf;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * The {@link JobRunner} of {@code dflow explain}: plans the job's first action, prints it and
 * stops the job there. Lists input files but starts no executor.
 */
final class ExplainRunner extends PlanningRunner {
  /** Thrown out of the job's code at its first action. */
  static final class Stop extends RuntimeException {
    Stop() {
      super("explain stops at the first action", null, false, false);
    }
  }

  private final Planner planner;
  private final PrintStream out;

  ExplainRunner(Map<String, String> conf, int totalSlots, PrintStream out) {
    this.planner = new Planner(PlannerConf.from(conf, totalSlots), new JobFiles(conf)::list);
    this.out = out;
  }

  @Override
  public Object run(LogicalNode node, Action action) {
    out.print(explain(node, action));
    out.flush();
    throw new Stop();
  }

  @Override
  public String explain(LogicalNode node, Action action) {
    return JobFiles.planOrFail(planner, node, action, new PlanInputs(persisted(), Set.of(), Map.of())).explain();
  }
}
