package io.dflow.driver.scheduler;

/**
 * Takes the per-partition results of a job's result tasks as they arrive (on the scheduler's
 * thread: it must be quick). It may fail the job at once, by throwing, when a result breaks a
 * bound (too many bytes for {@code collect()}).
 */
@FunctionalInterface
public interface ResultHandler {
  /**
   * @param index the position of the partition in the job's partition list
   * @param result the task's serialised value, or null for an action with none
   * @throws io.dflow.driver.JobFailedException to fail the job
   */
  void taskSucceeded(int index, byte[] result);
}
