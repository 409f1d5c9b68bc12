package io.dflow.driver.cli;

import io.dflow.driver.DflowConf;
import io.dflow.driver.JobRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns parsed options into a {@link JobRequest}. */
final class CliRequests {
  private CliRequests() {}

  static JobRequest from(JobOptions o) {
    Map<String, String> overrides = overrides(o.master, o.conf);
    putIfSet(overrides, DflowConf.DEPLOY_MODE, o.deployMode);
    putIfSet(overrides, DflowConf.EXECUTOR_INSTANCES, o.numExecutors);
    putIfSet(overrides, DflowConf.EXECUTOR_CORES, o.executorCores);
    putIfSet(overrides, DflowConf.EXECUTOR_MEMORY, o.executorMemory);
    putIfSet(overrides, DflowConf.YARN_QUEUE, o.queue);
    putIfSet(overrides, DflowConf.APP_NAME, o.name);
    if (o.overwrite) {
      overrides.put(DflowConf.OVERWRITE, "true");
    }
    return new JobRequest(o.jar, o.className, o.args.toArray(String[]::new), overrides);
  }

  /** The settings of {@code --conf key=value} options and {@code --master}; a malformed pair is an IllegalArgumentException. */
  static Map<String, String> overrides(String master, java.util.List<String> conf) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String pair : conf) {
      Map.Entry<String, String> e = DflowConf.parsePair(pair);
      overrides.put(e.getKey(), e.getValue());
    }
    if (master != null) {
      overrides.put(DflowConf.MASTER, master);
    }
    return overrides;
  }

  /** An option wins over a --conf of the same key, as --master does. */
  private static void putIfSet(Map<String, String> overrides, String key, String value) {
    if (value != null) {
      overrides.put(key, value);
    }
  }
}
