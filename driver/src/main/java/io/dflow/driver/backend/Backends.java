package io.dflow.driver.backend;

import io.dflow.driver.Master;
import java.nio.file.Path;
import java.util.Map;

/** Picks the backend for a {@code --master}. */
public final class Backends {
  private Backends() {}

  /**
   * @param jobLoader the job's class loader, which the in-process executor runs tasks with
   * @param memory how executors share out their heaps
   * @param jobJar the job jar, which a cluster manager ships to executors' hosts (null: the job is one of dflow's own)
   */
  public static ClusterBackend create(Master master, Map<String, String> conf, ClassLoader jobLoader, Path appDir,
      ExecutorMemory memory, Path jobJar) {
    if (master instanceof Master.Yarn) {
      return new io.dflow.driver.yarn.YarnBackend(conf, appDir, memory, jobJar);
    }
    if (master instanceof Master.LocalCluster cluster) {
      return new LocalClusterBackend(cluster.executors(), cluster.slotsEach(), conf, appDir, memory);
    }
    return new LocalBackend(master.totalSlots(), appDir, jobLoader, memory, conf);
  }
}
