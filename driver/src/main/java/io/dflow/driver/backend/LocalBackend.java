package io.dflow.driver.backend;

import io.dflow.executor.ClassLoaderSource;
import io.dflow.executor.Executor;
import io.dflow.executor.ExecutorConf;
import io.dflow.executor.LocalDirs;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ExecutorId;
import java.io.IOException;
import java.nio.file.Path;
import io.dflow.executor.net.TransportConf;
import java.util.List;
import java.util.Map;

/**
 * {@code local[N]}: one executor with N slots inside the driver's JVM. Messages pass as objects,
 * but tasks and results still go through serialisation, so closures that would fail on a
 * cluster fail here too; every block is local.
 */
public final class LocalBackend implements ClusterBackend {
  /** The id of the one executor, which is also its folder's name. */
  private static final String EXECUTOR = "driver";
  private final int slots;
  private final Path localDir;
  private final ClassLoader jobLoader;
  private final ExecutorMemory memory;
  private final Map<String, String> conf;
  private final TransportConf transport;
  private Executor executor;

  public LocalBackend(int slots, Path localDir, ClassLoader jobLoader, ExecutorMemory memory,
      Map<String, String> conf) {
    this.slots = slots;
    this.localDir = localDir;
    this.jobLoader = jobLoader;
    this.memory = memory;
    this.conf = Map.copyOf(conf);
    // no executor connects here; MPI ranks do, so they get a secret of their own
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    this.transport = new TransportConf(secret, TransportConf.DEFAULT_MAX_FRAME_BYTES,
        TransportConf.DEFAULT_FETCH_CHUNK_BYTES, TransportConf.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS)
        .withTls(io.dflow.driver.DflowConf.tlsIdentity(conf, false));
  }

  @Override
  public List<ExecutorHandle> start(DriverEndpoint driver) throws IOException {
    ClassLoaderSource loaders = sha -> jobLoader;
    ExecutorConf conf = memory.conf(EXECUTOR, "localhost", slots, localDir.resolve(EXECUTOR));
    ExecutorId id = new ExecutorId(conf.executorId());
    executor = new Executor(conf, loaders, null,
        broadcast -> driver.driverBlock("broadcast/" + broadcast).readAll(),
        update -> driver.received(id, update));
    executor.commitGate((job, partition, taskId) ->
        driver.driverBlock(io.dflow.executor.CommitRequests.blockId(job, partition, taskId)).readAll()[0] == 1);
    return List.of(new ExecutorHandle() {
      @Override
      public ExecutorId id() {
        return id;
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
      public void send(ControlMessage message) {
        executor.handle(message);
      }
    });
  }

  @Override
  public Path executorDir(ExecutorId id) {
    return localDir.resolve(EXECUTOR);
  }

  @Override
  public TransportConf transport() {
    return transport;
  }

  @Override
  public List<String> javaCommand() {
    return JvmCommand.of(conf);
  }

  @Override
  public Path appDir() {
    return localDir;
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.close();
    }
    LocalDirs.deleteRecursively(localDir);
  }
}
