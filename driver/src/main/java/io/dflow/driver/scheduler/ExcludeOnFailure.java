package io.dflow.driver.scheduler;

import java.util.Map;

/**
 * When an executor stops being offered a stage's tasks ({@code dflow.excludeOnFailure.*}): after
 * {@code maxFailedTasksPerExecutor} of the stage attempt's tasks failed there (failures of its
 * own: not kills, lost map outputs or the executor's loss), as a bad disk or a broken library
 * on one machine would make them, so one executor does not use up every task's attempts. An
 * executor is never excluded when it is the last one the stage could run on.
 */
public record ExcludeOnFailure(boolean enabled, int maxFailedTasksPerExecutor) {
  public static final String ENABLED = "dflow.excludeOnFailure.enabled";
  public static final String MAX_FAILED_TASKS = "dflow.excludeOnFailure.stage.maxFailedTasksPerExecutor";

  /** From settings: on, after 2 failed tasks (Spark's per-stage default). */
  public static ExcludeOnFailure from(Map<String, String> conf) {
    boolean on = Boolean.parseBoolean(conf.getOrDefault(ENABLED, "true").trim());
    String max = conf.getOrDefault(MAX_FAILED_TASKS, "2").trim();
    int n;
    try {
      n = Integer.parseInt(max);
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1) {
      throw new IllegalArgumentException("setting " + MAX_FAILED_TASKS + "=" + max
          + " is not valid: it must be a whole number of at least 1");
    }
    return new ExcludeOnFailure(on, n);
  }
}
