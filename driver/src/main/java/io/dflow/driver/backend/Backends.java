package io.dflow.driver.backend;

import io.dflow.driver.Master;
import java.nio.file.Path;
import java.util.Map;

/** Picks the backend for a {@code --master}. */
public final class Backends {
  private Backends() {}

  /**
   * @param jobLoader the job's class loader, which the in-process executor runs tasks with
   * @param storageMemory bytes of cached partitions an executor keeps in memory, or null for its default
   */
  public static ClusterBackend create(Master master, Map<String, String> conf, ClassLoader jobLoader, Path appDir,
      Long storageMemory) {
    if (master instanceof Master.LocalCluster cluster) {
      return new LocalClusterBackend(cluster.executors(), cluster.slotsEach(), conf, appDir, storageMemory);
    }
    return new LocalBackend(master.totalSlots(), appDir, jobLoader, storageMemory);
  }
}
