package io.dflow.driver.yarn;

import io.dflow.driver.DflowConf;
import java.util.Map;

/**
 * What a {@code --master yarn} application asks YARN for: executors (how many, their cores,
 * heap and the memory beyond the heap that YARN counts too), the application master's heap, the
 * queue and the name, how many executors must have joined before the job begins, and how many
 * times YARN may start the application master, from the {@code dflow.} settings.
 */
record YarnSettings(int executors, int cores, long heapBytes, long overheadBytes, long amHeapBytes, String queue,
    String name, double minRegisteredRatio, int maxAppAttempts) {
  private static final long MIB = 1 << 20;
  /** As Spark's: the JVM's own memory beyond its heap, at least 384 MiB. */
  private static final long MIN_OVERHEAD = 384 * MIB;

  static YarnSettings from(Map<String, String> conf) {
    long heap = DflowConf.sizeValue(conf, DflowConf.EXECUTOR_MEMORY);
    String overhead = conf.get(DflowConf.EXECUTOR_MEMORY_OVERHEAD);
    return new YarnSettings(DflowConf.executorInstances(conf), DflowConf.executorCores(conf), heap,
        overhead == null || overhead.isBlank() ? Math.max(MIN_OVERHEAD, heap / 10) : Long.parseLong(overhead.trim()),
        DflowConf.sizeValue(conf, DflowConf.YARN_AM_MEMORY), conf.getOrDefault(DflowConf.YARN_QUEUE, "default"),
        conf.getOrDefault(DflowConf.APP_NAME, "dflow"),
        Double.parseDouble(conf.getOrDefault(DflowConf.YARN_MIN_REGISTERED_RATIO, "0.8").trim()),
        Integer.parseInt(conf.getOrDefault(DflowConf.YARN_MAX_APP_ATTEMPTS, "1").trim()));
  }

  /** How many executors must have joined before the first job's tasks begin: at least one. */
  int minRegistered() {
    return Math.max(1, (int) Math.ceil(minRegisteredRatio * executors - 1e-9));
  }

  /** The container an executor asks for, in MiB: heap and overhead. */
  int executorContainerMb() {
    return (int) ((heapBytes + overheadBytes + MIB - 1) / MIB);
  }

  int amContainerMb() {
    return (int) ((amHeapBytes + MIN_OVERHEAD + MIB - 1) / MIB);
  }

  static String heapOption(long bytes) {
    return Math.max(1, bytes / MIB) + "m";
  }
}
