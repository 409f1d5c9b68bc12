package io.dflow.api;

import io.dflow.api.plan.Action;
import io.dflow.api.plan.LogicalNode;
import io.dflow.api.plan.PlanningRunner;

/** A runner for tests that only build datasets: every action is refused. */
final class NoRunner extends PlanningRunner {
  @Override
  public Object run(LogicalNode node, Action action) {
    throw new UnsupportedOperationException("this test builds datasets only");
  }

  @Override
  public String explain(LogicalNode node, Action action) {
    throw new UnsupportedOperationException();
  }
}
