package io.dflow.driver;

import io.dflow.api.StorageLevel;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.LogicalNode;
import io.dflow.planner.PlanInputs;
import io.dflow.planner.Planner;
import io.dflow.planner.PlannerConf;
import io.dflow.driver.scheduler.Counters;
import io.dflow.executor.serde.JavaSerde;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@link JobRunner} of {@code dflow explain}: plans the job's first action, prints it and
 * stops the job there. Lists input files but starts no executor.
 */
final class ExplainRunner implements JobRunner {
  /** Thrown out of the job's code at its first action. */
  static final class Stop extends RuntimeException {
    Stop() {
      super("explain stops at the first action", null, false, false);
    }
  }

  private final Planner planner;
  private final PrintStream out;
  private final Map<Integer, StorageLevel> persisted = new HashMap<>();
  private final Counters counters = new Counters();
  private long broadcasts;

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
    return JobFiles.planOrFail(planner, node, action, new PlanInputs(persisted, Set.of(), Map.of())).explain();
  }

  @Override
  public void persist(LogicalNode node, StorageLevel level) {
    persisted.put(node.id(), level);
  }

  @Override
  public void unpersist(LogicalNode node) {
    persisted.remove(node.id());
  }

  /** Nothing is shipped, but a value that could not be is refused as it would be. */
  @Override
  public long broadcast(Object value) {
    JavaSerde.serialize(value);
    return broadcasts++;
  }

  @Override
  public void destroyBroadcast(long id) {
    // nothing was shipped
  }

  @Override
  public void addToCounter(String name, long delta) {
    counters.add(name, delta);
  }

  @Override
  public long counterValue(String name) {
    return counters.value(name);
  }
}
