package io.dflow.driver.backend;

import io.dflow.driver.JobJar;
import io.dflow.driver.Master;
import java.nio.file.Path;
import java.util.Map;

/** Picks the backend for a {@code --master}. */
public final class Backends {
  private Backends() {}

  public static ClusterBackend create(Master master, Map<String, String> conf, JobJar jar, Path appDir) {
    if (master instanceof Master.LocalCluster cluster) {
      return new LocalClusterBackend(cluster.executors(), cluster.slotsEach(), conf, jar, appDir);
    }
    return new LocalBackend(master.totalSlots(), appDir, jar.loader());
  }
}
