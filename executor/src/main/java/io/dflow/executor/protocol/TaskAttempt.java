package io.dflow.executor.protocol;

import java.io.Serializable;

/**
 * Names one attempt of one task: the {@code job}-th action of application {@code appId},
 * its stage, the task's index in the stage, and the attempt number (0 first).
 */
public record TaskAttempt(String appId, int job, int stage, int index, int attempt)
    implements Serializable {
  /** Names one job of an application, e.g. in output commit folders: {@code <appId>_<job>}. */
  public static String jobKey(String appId, int job) {
    return appId + "_" + job;
  }

  public String jobKey() {
    return jobKey(appId, job);
  }

  @Override
  public String toString() {
    return "job " + job + " stage " + stage + " task " + index + " attempt " + attempt;
  }
}
