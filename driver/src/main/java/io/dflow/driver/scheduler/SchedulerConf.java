package io.dflow.driver.scheduler;

import java.util.Map;

/**
 * What the scheduler needs to know of the application: what executors run tasks with (the job
 * jar, the configuration) and how often it tries before giving up.
 *
 * @param jarSha256 the job jar executors load, or null when the job's classes are on their class path
 * @param maxTaskAttempts attempts per task ({@code dflow.task.maxAttempts})
 * @param maxStageAttempts attempts per stage ended by lost map outputs ({@code dflow.stage.maxAttempts})
 * @param maxGangAttempts attempts per MPI gang, all ranks together ({@code dflow.mpi.maxAttempts})
 */
public record SchedulerConf(String jarSha256, Map<String, String> conf, int maxTaskAttempts, int maxStageAttempts,
    int maxGangAttempts) {
  public SchedulerConf {
    conf = Map.copyOf(conf);
    if (maxTaskAttempts < 1 || maxStageAttempts < 1 || maxGangAttempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1: " + maxTaskAttempts + ", " + maxStageAttempts
          + ", " + maxGangAttempts);
    }
  }
}
