package io.dflow.streaming;

import io.dflow.api.plan.TaskScope;
import org.apache.hadoop.mapred.Counters;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.hadoop.mapred.Reporter;

/**
 * The {@link Reporter} a Java mapper, combiner or reducer gets: {@code incrCounter} adds to the
 * task's counter {@code Group.Counter} (the name a child's {@code reporter:counter:} line gives),
 * {@code setStatus} shows in the progress display; {@code getCounter} is null and there is no
 * input split, as with Hadoop's {@link Reporter#NULL}.
 */
final class TaskReporter implements Reporter {
  private final String role;
  private final TaskScope.Services scope;

  /** @param scope the task's services, or null outside a task */
  TaskReporter(String role, TaskScope.Services scope) {
    this.role = role;
    this.scope = scope;
  }

  @Override
  public void setStatus(String status) {
    if (scope != null) {
      scope.setStatus(role + ": " + status);
    }
  }

  @Override
  public Counters.Counter getCounter(Enum<?> name) {
    return null;
  }

  @Override
  public Counters.Counter getCounter(String group, String name) {
    return null;
  }

  @Override
  public void incrCounter(Enum<?> key, long amount) {
    incrCounter(key.getDeclaringClass().getName(), key.name(), amount);
  }

  @Override
  public void incrCounter(String group, String counter, long amount) {
    if (scope != null) {
      scope.addToCounter(group + "." + counter, amount);
    }
  }

  @Override
  public InputSplit getInputSplit() {
    throw new UnsupportedOperationException("dflow streaming gives Java classes no input split");
  }

  @Override
  public float getProgress() {
    return 0;
  }

  @Override
  public void progress() {
    // a running task is alive as long as it makes records; nothing to report
  }
}
