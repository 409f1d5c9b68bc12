package io.dflow.driver.mpi;

import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.DaemonExited;
import io.dflow.executor.protocol.ControlMessage.DaemonOutput;
import io.dflow.executor.protocol.ControlMessage.LaunchDaemon;
import io.dflow.executor.protocol.ControlMessage.StopDaemon;
import io.dflow.executor.protocol.ExecutorId;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of the launch agents ({@link DaemonAgent}) that {@code mpirun} runs in place
 * of ssh: on a loopback port, it takes an agent's request (a gang, its launch token, a host, the
 * daemon's command), checks the token is that running gang's and the host one of its executors',
 * sends the command to that executor ({@link LaunchDaemon}) over the executor's authenticated
 * connection, and passes back what the executor answers: the daemon's output and exit. An agent
 * that goes away (killed by {@code mpirun}) and a gang that ends stop their daemons.
 *
 * <p>Threading: one thread accepts; each agent's connection is served on a worker thread that
 * waits for it to close; executors' answers come on network threads and only write to the
 * agent's socket, under its lock.
 */
final class DaemonRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DaemonRelay.class);
  private static final int MAX_WORDS = 10_000;
  private static final int REQUEST_TIMEOUT_MILLIS = 10_000;

  private final Function<String, RunningGang> gangs;
  private final ExecutorService workers;
  private final Map<Long, Launch> launches = new ConcurrentHashMap<>();
  private final AtomicLong nextLaunch = new AtomicLong();
  private ServerSocket server;

  /** One agent's request in flight: which executor runs its daemon, and the agent's socket. */
  private record Launch(long id, String gang, ExecutorHandle executor, Socket socket, DataOutputStream out) {
    void write(byte kind, byte[] bytes) {
      synchronized (out) {
        try {
          out.writeByte(kind);
          out.writeInt(bytes.length);
          out.write(bytes);
          out.flush();
        } catch (IOException e) {
          // the agent is gone: its connection's end stops the daemon
        }
      }
    }

    void exit(int code, String why) {
      synchronized (out) {
        try {
          out.writeByte(DaemonAgent.EXIT);
          out.writeInt(code);
          out.writeUTF(why);
          out.flush();
        } catch (IOException e) {
          // the agent is gone already
        }
      }
      closeQuietly(socket);
    }
  }

  /** @param gangs the running gang of an id, or null */
  DaemonRelay(Function<String, RunningGang> gangs, ExecutorService workers) {
    this.gangs = gangs;
    this.workers = workers;
  }

  /** The loopback port agents connect to, the server started on first use. */
  synchronized int port() throws IOException {
    if (server == null) {
      server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
      ServerSocket s = server;
      Thread acceptor = new Thread(() -> accept(s), "dflow-mpi-agents");
      acceptor.setDaemon(true);
      acceptor.start();
    }
    return server.getLocalPort();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket socket = s.accept();
        workers.execute(() -> serve(socket));
      } catch (IOException e) {
        if (!s.isClosed()) {
          LOG.warn("the MPI launch relay stopped accepting: {}", e.getMessage());
        }
        return;
      }
    }
  }

  /** Reads one agent's request, starts its daemon and waits for the agent to go away. */
  private void serve(Socket socket) {
    Launch launch = null;
    try {
      socket.setSoTimeout(REQUEST_TIMEOUT_MILLIS);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      String gangId = in.readUTF();
      String token = in.readUTF();
      String host = in.readUTF();
      int n = in.readInt();
      if (n < 1 || n > MAX_WORDS) {
        throw new IOException("a launch request of " + n + " words");
      }
      List<String> command = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        command.add(in.readUTF());
      }
      RunningGang gang = gangs.apply(gangId);
      if (gang == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
          gang.agentToken().getBytes(StandardCharsets.UTF_8))) {
        LOG.warn("refused a daemon launch for gang {}: not a running gang's agent", gangId);
        new Launch(-1, gangId, null, socket, out).exit(126, "the driver refused the launch: gang " + gangId
            + " is not running, or the agent's token is not its own");
        return;
      }
      ExecutorHandle executor = gang.executorAt(host);
      if (executor == null) {
        new Launch(-1, gangId, null, socket, out).exit(126, "the driver refused the launch: no executor of gang "
            + gangId + " is at host " + host);
        return;
      }
      launch = new Launch(nextLaunch.incrementAndGet(), gangId, executor, socket, out);
      launches.put(launch.id(), launch);
      executor.send(new LaunchDaemon(gangId, launch.id(), command));
      socket.setSoTimeout(0);
      while (in.read() >= 0) {
        // the agent sends nothing more: its end is the connection's
      }
    } catch (IOException e) {
      LOG.debug("a launch agent's connection ended: {}", e.getMessage());
    } finally {
      if (launch != null && launches.remove(launch.id()) != null) {
        launch.executor().send(new StopDaemon(launch.id()));
      }
      closeQuietly(socket);
    }
  }

  /** What an executor answers about a daemon it runs. */
  void received(ExecutorId from, ControlMessage message) {
    if (message instanceof DaemonOutput output) {
      Launch launch = own(from, output.launch());
      if (launch != null) {
        launch.write(output.stderr() ? DaemonAgent.STDERR : DaemonAgent.STDOUT, output.bytes());
      }
    } else if (message instanceof DaemonExited exited) {
      Launch launch = own(from, exited.launch());
      if (launch != null) {
        launches.remove(launch.id());
        launch.exit(exited.code(), exited.refusal() == null ? ""
            : "executor " + from.value() + " refused to start the Open MPI daemon: " + exited.refusal());
      }
    }
  }

  private Launch own(ExecutorId from, long id) {
    Launch launch = launches.get(id);
    if (launch == null || !launch.executor().id().equals(from)) {
      return null; // ended already, or not that executor's
    }
    return launch;
  }

  /** Gang {@code gang} ended: its daemons are stopped, its agents let go. */
  void stopGang(String gang) {
    for (Launch launch : List.copyOf(launches.values())) {
      if (launch.gang().equals(gang) && launches.remove(launch.id()) != null) {
        launch.executor().send(new StopDaemon(launch.id()));
        launch.exit(DaemonAgent.CONNECTION_LOST, "gang " + gang + " ended");
      }
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      closeQuietly(server);
    }
    for (Launch launch : List.copyOf(launches.values())) {
      launches.remove(launch.id());
      launch.executor().send(new StopDaemon(launch.id()));
      closeQuietly(launch.socket());
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing
    }
  }
}
