package io.dflow.driver;

import io.dflow.driver.backend.ClusterBackend;
import io.dflow.driver.backend.DriverEndpoint;
import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.driver.backend.JvmCommand;
import io.dflow.driver.backend.RegisteredExecutors;
import io.dflow.executor.ExecutorMain;
import io.dflow.executor.LocalDirs;
import io.dflow.executor.net.Connection;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportOptions;
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

/**
 * A cluster for tests whose executors are on separate hosts: one executor JVM per
 * {@link NamespaceHosts} namespace, bound to that namespace's address and registered with a
 * driver served on the bridge's address, as executors on other machines would be. Lost executors
 * are not replaced.
 */
final class NamespaceClusterBackend implements ClusterBackend {
  private final NamespaceHosts hosts;
  private final int slotsEach;
  private final Map<String, String> conf;
  private final Path appDir;
  private final TransportConf transport;
  private final RegisteredExecutors registered = new RegisteredExecutors();
  private final List<Process> processes = new ArrayList<>();
  private TransportServer server;

  NamespaceClusterBackend(NamespaceHosts hosts, int slotsEach, Map<String, String> conf, Path appDir) {
    this.hosts = hosts;
    this.slotsEach = slotsEach;
    this.conf = conf;
    this.appDir = appDir;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.transport = new TransportConf(secret, Integer.parseInt(conf.get(DflowConf.MAX_FRAME).trim()),
        TransportConf.DEFAULT_FETCH_CHUNK_BYTES, Long.parseLong(conf.get(DflowConf.HANDSHAKE_TIMEOUT).trim()));
  }

  @Override
  public List<ExecutorHandle> start(DriverEndpoint driver) throws IOException {
    Files.createDirectories(appDir);
    server = TransportServer.start(hosts.driverAddress(), 0, transport,
        new ControlEndpoint("driver", new ControlEndpoint.Receiver() {
          @Override
          public void onMessage(Connection from, ControlMessage message) {
            registered.onMessage(from, message, driver);
          }

          @Override
          public void onClose(Connection connection) {
            RegisteredExecutors.Remote r = registered.senderOf(connection);
            if (r != null) {
              registered.remove(r.id());
              driver.executorLost(r.id(), "its connection closed", false);
            }
          }
        }), driver::driverBlock, driver::driverClass);
    List<NamespaceHosts.Host> all = hosts.hosts();
    for (int i = 0; i < all.size(); i++) {
      processes.add(launch("exec-" + i, all.get(i)));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (registered.size() < all.size()) {
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).isAlive()) {
          throw new IOException("executor exec-" + i + " exited with " + processes.get(i).exitValue()
              + " before registering; its log:\n" + Files.readString(appDir.resolve("exec-" + i + ".log")));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("only " + registered.size() + " of " + all.size() + " executors registered in 30 s");
      }
      registered.await(deadline);
    }
    return registered.started();
  }

  private Process launch(String id, NamespaceHosts.Host host) throws IOException {
    List<String> cmd = JvmCommand.of(conf);
    cmd.addAll(List.of(ExecutorMain.class.getName(), "--driver", hosts.driverAddress() + ":" + server.port(),
        "--id", id, "--slots", String.valueOf(slotsEach), "--local-dir", appDir.resolve(id).toString(),
        "--host", host.address(), "--bind", host.address()));
    cmd.addAll(TransportOptions.of(transport));
    ProcessBuilder pb = new ProcessBuilder(hosts.command(host, cmd)).redirectErrorStream(true)
        .redirectOutput(appDir.resolve(id + ".log").toFile());
    // as in a YARN container: the secret in a token file only the user may read, not in the
    // executor's environment (where the Open MPI daemons it starts would inherit it anyway)
    Path tokens = appDir.resolve(id + ".tokens");
    java.nio.ByteBuffer stored = io.dflow.executor.RunSecret.asTokens(transport.secret());
    byte[] bytes = new byte[stored.remaining()];
    stored.get(bytes);
    Files.write(tokens, bytes);
    Files.setPosixFilePermissions(tokens, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    pb.environment().remove(ExecutorMain.SECRET_ENV);
    pb.environment().put("HADOOP_TOKEN_FILE_LOCATION", tokens.toString());
    return pb.start();
  }

  /** An executor's log, for a failing test's message. */
  String log(int executor) {
    try {
      return Files.readString(appDir.resolve("exec-" + executor + ".log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** What every mpirun of the application printed, for a failing test's message. */
  String mpirunLogs() {
    try (var logs = Files.list(appDir.resolve("mpi"))) {
      StringBuilder out = new StringBuilder();
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        out.append("---- ").append(log.getFileName()).append('\n').append(Files.readString(log));
      }
      return out.toString();
    } catch (IOException e) {
      return "(no mpirun logs: " + e.getMessage() + ")";
    }
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

  @Override
  public String driverHost() {
    return hosts.driverAddress();
  }

  /** Stops the executors (killing what is left, and every process under them) and deletes their folders. */
  @Override
  public void close() {
    for (RegisteredExecutors.Remote r : registered.all()) {
      r.connection().send(new StopExecutor().encode());
    }
    for (Process p : processes) {
      List<ProcessHandle> tree = p.descendants().toList();
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      tree.forEach(ProcessHandle::destroyForcibly);
    }
    if (server != null) {
      server.close();
    }
    LocalDirs.deleteRecursively(appDir);
  }
}
