package io.dflow.executor.mpi;

import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.DaemonExited;
import io.dflow.executor.protocol.ControlMessage.DaemonOutput;
import io.dflow.executor.protocol.ControlMessage.LaunchDaemon;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open MPI daemons ({@code orted}) an executor runs for its driver's MPI gangs on a host
 * {@code mpirun} cannot reach by ssh: the executor stands in for the remote shell. It starts what
 * {@link OrtedCommand} accepts (nothing else, and one daemon per gang), sends the daemon's stdout
 * and stderr to the driver as they come and its exit code once it ends, and stops it with every
 * process under it (the ranks) when the driver says so or the executor's driver connection ends.
 *
 * <p>Only the driver's connection delivers launches here (the executor's own server drops every
 * control message other executors send), and that connection proved the application's secret.
 *
 * <p>The ranks a daemon starts need that secret (and the TLS identity) to connect to the driver.
 * They get it from the daemon's own environment, which this launcher sets and Open MPI's daemon
 * hands on to every process it starts (merged with what {@code mpirun} sends); {@code mpirun}
 * itself never sends it (no {@code -x}), as its own connections to daemons are plain TCP.
 *
 * <p>Threading: {@link #launch}, {@link #stop} and {@link #close} are called on network threads
 * and never block; each daemon has a thread per output stream and one that waits for its exit.
 */
public final class DaemonLauncher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DaemonLauncher.class);
  private static final long KILL_GRACE_MILLIS = 2_000;

  private final String driverHost;
  private final Map<String, String> secretEnvironment;
  private final Consumer<ControlMessage> toDriver;
  /** Running daemons by launch; guarded by this. */
  private final Map<Long, Running> running = new HashMap<>();
  private boolean closed;

  private record Running(String gang, Process process) {}

  /**
   * @param driverHost the host this executor reached the driver at: the only {@code mpirun} host a daemon may join
   * @param secretEnvironment the run's secret and TLS identity as environment variables
   *     ({@link io.dflow.executor.RunSecret#environment}), for the daemon's ranks
   * @param toDriver sends a message on the driver connection
   */
  public DaemonLauncher(String driverHost, Map<String, String> secretEnvironment, Consumer<ControlMessage> toDriver) {
    this.driverHost = driverHost;
    this.secretEnvironment = Map.copyOf(secretEnvironment);
    this.toDriver = toDriver;
  }

  /** Starts the daemon {@code request} asks for, or answers why not. */
  public void launch(LaunchDaemon request) {
    List<String> argv;
    try {
      argv = OrtedCommand.parse(request.command(), driverHost);
    } catch (IllegalArgumentException e) {
      refuse(request, e.getMessage());
      return;
    }
    Process process;
    synchronized (this) {
      if (closed) {
        refuse(request, "the executor is stopping");
        return;
      }
      if (running.containsKey(request.launch())
          || running.values().stream().anyMatch(r -> r.gang().equals(request.gang()))) {
        refuse(request, "a daemon of gang " + request.gang() + " runs here already");
        return;
      }
      ProcessBuilder pb = new ProcessBuilder(argv);
      pb.environment().putAll(RankEnvironment.VARIABLES);
      pb.environment().putAll(secretEnvironment);
      try {
        process = pb.start();
      } catch (IOException e) {
        refuse(request, "cannot start " + argv.get(0) + ": " + e.getMessage()
            + " (Open MPI must be installed on every executor's host: apt-get install openmpi-bin)");
        return;
      }
      running.put(request.launch(), new Running(request.gang(), process));
    }
    LOG.info("started the Open MPI daemon of gang {} (pid {})", request.gang(), process.pid());
    Thread out = pump(request.launch(), process.getInputStream(), false);
    Thread err = pump(request.launch(), process.getErrorStream(), true);
    Thread waiter = new Thread(() -> {
      int code;
      try {
        code = process.waitFor();
        out.join(KILL_GRACE_MILLIS);
        err.join(KILL_GRACE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        running.remove(request.launch());
      }
      toDriver.accept(new DaemonExited(request.launch(), code, null));
    }, "orted-" + request.launch() + "-exit");
    waiter.setDaemon(true);
    waiter.start();
  }

  private void refuse(LaunchDaemon request, String why) {
    LOG.warn("refused to start an Open MPI daemon for gang {}: {}", request.gang(), why);
    toDriver.accept(new DaemonExited(request.launch(), 126, why));
  }

  private Thread pump(long launch, InputStream in, boolean stderr) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buf)) > 0; ) {
          toDriver.accept(new DaemonOutput(launch, stderr, Arrays.copyOf(buf, n)));
        }
      } catch (IOException e) {
        // the daemon is gone; its exit says how
      }
    }, "orted-" + launch + (stderr ? "-err" : "-out"));
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Stops the daemon of {@code launch} and what it started, if it runs. */
  public void stop(long launch) {
    Running r;
    synchronized (this) {
      r = running.get(launch);
    }
    if (r != null) {
      destroyTree(r.process());
    }
  }

  /** Stops every daemon: the driver connection ended. */
  @Override
  public void close() {
    List<Running> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(running.values());
    }
    all.forEach(r -> destroyTree(r.process()));
  }

  /** SIGTERM to the daemon (it stops its ranks), then SIGKILL to whatever of the tree is left. */
  private static void destroyTree(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    p.destroy();
    Thread killer = new Thread(() -> {
      try {
        p.waitFor(KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      tree.forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }, "orted-killer");
    killer.setDaemon(true);
    killer.start();
  }
}
