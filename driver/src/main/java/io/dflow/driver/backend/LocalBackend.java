package io.dflow.driver.backend;

import io.dflow.executor.ClassLoaderSource;
import io.dflow.executor.Executor;
import io.dflow.executor.ExecutorConf;
import io.dflow.executor.LocalDirs;
import io.dflow.executor.protocol.ControlMessage.LaunchTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code local[N]}: one executor with N slots inside the driver's JVM. Tasks still go through
 * serialisation, so closures that would fail on a cluster fail here too; shuffle blocks are all
 * local.
 */
public final class LocalBackend implements ClusterBackend {
  private final int slots;
  private final Path localDir;
  private final ClassLoader jobLoader;
  private Executor executor;

  public LocalBackend(int slots, Path localDir, ClassLoader jobLoader) {
    this.slots = slots;
    this.localDir = localDir;
    this.jobLoader = jobLoader;
  }

  @Override
  public List<ExecutorHandle> start(TaskEvents events) throws IOException {
    ClassLoaderSource loaders = sha -> jobLoader;
    ExecutorConf conf = new ExecutorConf("driver", "localhost", slots, localDir.resolve("driver"));
    executor = new Executor(conf, loaders, null);
    return List.of(new ExecutorHandle() {
      @Override
      public String id() {
        return conf.executorId();
      }

      @Override
      public String host() {
        return conf.host();
      }

      @Override
      public String address() {
        return "in-process";
      }

      @Override
      public int port() {
        return 0;
      }

      @Override
      public int slots() {
        return slots;
      }

      @Override
      public void launch(LaunchTask task) {
        executor.launch(task, events::taskFinished);
      }
    });
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.close();
    }
    LocalDirs.deleteRecursively(localDir);
  }
}
