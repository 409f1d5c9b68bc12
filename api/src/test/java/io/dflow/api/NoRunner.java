package io.dflow.api;

import io.dflow.api.plan.Action;
import io.dflow.api.plan.JobRunner;
import io.dflow.api.plan.LogicalNode;

/** A runner for tests that only build datasets: every action is refused. */
final class NoRunner implements JobRunner {
  @Override
  public Object run(LogicalNode node, Action action) {
    throw new UnsupportedOperationException("this test builds datasets only");
  }

  @Override
  public String explain(LogicalNode node, Action action) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void persist(LogicalNode node, StorageLevel level) {}

  @Override
  public void unpersist(LogicalNode node) {}

  @Override
  public long broadcast(Object value) {
    return 0;
  }

  @Override
  public void destroyBroadcast(long id) {}

  @Override
  public void addToCounter(String name, long delta) {}

  @Override
  public long counterValue(String name) {
    return 0;
  }
}
