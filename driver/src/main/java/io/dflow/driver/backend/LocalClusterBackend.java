package io.dflow.driver.backend;

import io.dflow.driver.DflowConf;
import io.dflow.executor.ExecutorMain;
import io.dflow.executor.LocalDirs;
import io.dflow.executor.net.Connection;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportServer;
import io.dflow.executor.protocol.ControlEndpoint;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.StopExecutor;
import io.dflow.executor.protocol.ExecutorId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code local-cluster[E,N]}: E executor JVMs on this machine, N slots each, talking to the
 * driver and to each other over authenticated loopback connections. The real distributed path,
 * on one machine. A fresh random secret per run (and, with {@code dflow.network.crypto.enabled},
 * a TLS key and certificate) reaches executors through their environment.
 */
public final class LocalClusterBackend implements ClusterBackend {
  private static final Logger LOG = LoggerFactory.getLogger(LocalClusterBackend.class);
  private static final String LOOPBACK = "127.0.0.1";
  /** The class-data archive the driver runs with, set by {@code bin/dflow}; executors use it too. */
  public static final String CDS_ARCHIVE_PROPERTY = "dflow.cds.archive";

  private final int executors;
  private final int slotsEach;
  private final Map<String, String> conf;
  private final Path appDir;
  private final ExecutorMemory memory;
  private final TransportConf transport;
  private final RegisteredExecutors registered = new RegisteredExecutors();
  /** Executor processes by number ({@code exec-N}), replacements appended; guarded by itself. */
  private final List<Process> processes = new ArrayList<>();
  private TransportServer server;
  private volatile boolean closing;
  private int replacements;

  public LocalClusterBackend(int executors, int slotsEach, Map<String, String> conf, Path appDir,
      ExecutorMemory memory) {
    this.executors = executors;
    this.slotsEach = slotsEach;
    this.conf = conf;
    this.appDir = appDir;
    this.memory = memory;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.transport = new TransportConf(secret, intConf(DflowConf.MAX_FRAME),
        intConf("dflow.rpc.fetchChunkBytes", TransportConf.DEFAULT_FETCH_CHUNK_BYTES),
        Long.parseLong(conf.get(DflowConf.HANDSHAKE_TIMEOUT))).withTls(DflowConf.tlsIdentity(conf, false));
  }

  @Override
  public List<ExecutorHandle> start(DriverEndpoint driver) throws IOException {
    Files.createDirectories(appDir);
    server = TransportServer.start(LOOPBACK, 0, transport,
        new ControlEndpoint("driver", new FromExecutors(driver)), driver::driverBlock,
        driver::driverClass);
    synchronized (processes) {
      for (int i = 0; i < executors; i++) {
        processes.add(launch("exec-" + i));
      }
    }
    long deadline = System.nanoTime()
        + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(conf.get(DflowConf.REGISTRATION_TIMEOUT)));
    while (registered.size() < executors) {
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).isAlive()) {
          throw new IOException("executor exec-" + i + " exited with code "
              + processes.get(i).exitValue() + " before registering; its log:\n" + logTail("exec-" + i));
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException("only " + registered.size() + " of " + executors
            + " executors registered within " + conf.get(DflowConf.REGISTRATION_TIMEOUT) + " ms");
      }
      registered.await(deadline);
    }
    return registered.started();
  }

  /**
   * Starts an executor in place of a lost one, up to twice as many replacements as executors in
   * all (an application whose tasks kill every executor they touch must end).
   */
  private boolean replace(ExecutorId lost, DriverEndpoint driver) {
    String id;
    Process started;
    synchronized (processes) {
      if (closing || replacements >= 2 * executors) {
        LOG.warn("executor {} is not replaced: {} replacements made already", lost, replacements);
        return false;
      }
      replacements++;
      id = "exec-" + processes.size();
      try {
        started = launch(id);
      } catch (IOException e) {
        LOG.warn("cannot start an executor to replace {}: {}", lost, e.getMessage());
        return false;
      }
      processes.add(started);
    }
    watchRegistration(new ExecutorId(id), started, driver);
    return true;
  }

  /** Reports a replacement that does not register in time (or exits first) as lost, with no replacement of its own. */
  private void watchRegistration(ExecutorId id, Process process, DriverEndpoint driver) {
    Thread watcher = new Thread(() -> {
      long deadline = System.nanoTime()
          + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(conf.get(DflowConf.REGISTRATION_TIMEOUT)));
      while (!registered.contains(id) && !closing && System.nanoTime() < deadline) {
        try {
          if (process.waitFor(100, TimeUnit.MILLISECONDS) && !registered.contains(id)) {
            break;
          }
        } catch (InterruptedException e) {
          return;
        }
      }
      if (!registered.contains(id) && !closing) {
        driver.executorLost(id, "it did not register: " + howItEnded(id.value()), false);
      }
    }, "replacement-" + id.value());
    watcher.setDaemon(true);
    watcher.start();
  }

  private Process launch(String id) throws IOException {
    List<String> cmd = JvmCommand.of(conf);
    cmd.addAll(List.of(ExecutorMain.class.getName(),
        "--driver", LOOPBACK + ":" + server.port(), "--id", id, "--slots", String.valueOf(slotsEach),
        "--local-dir", appDir.resolve(id).toString(), "--host", hostOf(id), "--bind", LOOPBACK));
    cmd.addAll(io.dflow.executor.net.TransportOptions.of(transport));
    if (memory.storageBytes() != null) {
      cmd.addAll(List.of("--storage-memory", String.valueOf(memory.storageBytes())));
    }
    cmd.addAll(List.of("--execution-fraction", String.valueOf(memory.executionFraction()), "--log", logOf(id).toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logOf(id).toFile());
    pb.environment().putAll(io.dflow.executor.RunSecret.environment(transport));
    return pb.start();
  }

  /**
   * What became of executor {@code id}'s process, waiting a moment for it to end: its exit code
   * (a signal named), and the end of its log.
   */
  private String howItEnded(String id) {
    Process p;
    synchronized (processes) {
      p = processes.get(Integer.parseInt(id.substring("exec-".length())));
    }
    String exit;
    try {
      exit = p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)
          ? "its process exited with " + io.dflow.api.pipe.ExitStatus.describe(p.exitValue())
          : "its process still runs";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = "its process was not waited for";
    }
    String tail = logTail(id);
    int marker = tail.indexOf(io.dflow.executor.ExitCaller.MARKER);
    if (marker >= 0) {
      int end = tail.indexOf('\n', marker);
      exit += " after " + tail.substring(marker, end < 0 ? tail.length() : end);
    }
    return exit + (tail.isBlank() ? "; its log is empty" : "; the end of its log:\n" + tail);
  }

  private String logTail(String id) {
    return io.dflow.executor.LogTail.of(logOf(id), 20);
  }

  private Path logOf(String id) {
    return appDir.resolve(id + ".log");
  }

  @Override
  public void close() {
    closing = true;
    for (RegisteredExecutors.Remote r : registered.all()) {
      r.connection().send(new StopExecutor().encode());
    }
    List<Process> all;
    synchronized (processes) {
      all = List.copyOf(processes);
    }
    for (int i = 0; i < all.size(); i++) {
      Process p = all.get(i);
      try {
        // one told to stop gets time to; one that never registered (a replacement still starting) is not told
        if (!registered.contains(new ExecutorId("exec-" + i)) || !p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (server != null) {
      server.close();
    }
    LocalDirs.deleteRecursively(appDir);
  }

  /** The host executor {@code exec-N} declares: the Nth of {@code dflow.executor.hosts}, in turn. */
  private String hostOf(String id) {
    String hosts = conf.getOrDefault(DflowConf.EXECUTOR_HOSTS, "").strip();
    if (hosts.isEmpty()) {
      return "localhost";
    }
    String[] names = hosts.split("\\s*,\\s*");
    return names[Integer.parseInt(id.substring("exec-".length())) % names.length];
  }

  @Override
  public Path executorDir(ExecutorId id) {
    return appDir.resolve(id.value());
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
    return appDir;
  }

  private int intConf(String key) {
    return Integer.parseInt(conf.get(key).trim());
  }

  private int intConf(String key, int fallback) {
    String v = conf.get(key);
    return v == null ? fallback : Integer.parseInt(v.trim());
  }

  /** Registrations and status updates from executors; runs on the event loop, so only posts. */
  private final class FromExecutors implements ControlEndpoint.Receiver {
    private final DriverEndpoint driver;

    FromExecutors(DriverEndpoint driver) {
      this.driver = driver;
    }

    @Override
    public void onMessage(Connection from, ControlMessage message) {
      registered.onMessage(from, message, driver);
    }

    @Override
    public void onClose(Connection connection) {
      RegisteredExecutors.Remote r = registered.senderOf(connection);
      if (r != null && !closing) {
        registered.remove(r.id());
        String ended = howItEnded(r.id().value());
        boolean replacing = replace(r.id(), driver);
        driver.executorLost(r.id(), "its connection closed; " + ended, replacing);
      }
    }
  }
}
