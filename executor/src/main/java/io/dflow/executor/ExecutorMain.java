package io.dflow.executor;

import io.dflow.executor.net.Connection;
import io.dflow.executor.net.EventLoops;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.TransportClient;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportServer;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.LaunchTask;
import io.dflow.executor.protocol.ControlMessage.RegisterExecutor;
import io.dflow.executor.protocol.ControlMessage.StopExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of an executor JVM: connects to the driver (proving the run's secret, given in
 * the {@value #SECRET_ENV} environment variable, never on the command line), serves its shuffle
 * blocks to other executors, runs the tasks it is sent, and exits when the driver says so or
 * goes away.
 *
 * <pre>
 * ExecutorMain --driver HOST:PORT --id ID --slots N --local-dir DIR
 *              [--host NAME] [--bind ADDRESS] [--max-frame BYTES] [--fetch-chunk BYTES]
 *              [--handshake-ms MILLIS]
 * </pre>
 */
public final class ExecutorMain {
  public static final String SECRET_ENV = "DFLOW_SECRET";
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorMain.class);

  private ExecutorMain() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = parse(argv);
    String secretHex = System.getenv(SECRET_ENV);
    if (secretHex == null) {
      System.err.println("executor: " + SECRET_ENV + " is not set");
      System.exit(2);
    }
    TransportConf transport = new TransportConf(HexFormat.of().parseHex(secretHex),
        Integer.parseInt(args.getOrDefault("max-frame", String.valueOf(TransportConf.DEFAULT_MAX_FRAME_BYTES))),
        Integer.parseInt(args.getOrDefault("fetch-chunk", String.valueOf(TransportConf.DEFAULT_FETCH_CHUNK_BYTES))),
        Long.parseLong(args.getOrDefault("handshake-ms", String.valueOf(TransportConf.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS))));
    String bind = args.getOrDefault("bind", "127.0.0.1");
    ExecutorConf conf = new ExecutorConf(required(args, "id"), args.getOrDefault("host", "localhost"),
        Integer.parseInt(required(args, "slots")), Path.of(required(args, "local-dir")));
    String[] driver = required(args, "driver").split(":");
    run(conf, transport, bind, driver[0], Integer.parseInt(driver[1]));
    EventLoops.shutdownForExit();
    System.exit(0);
  }

  /** Serves until the driver stops this executor or disconnects. */
  static void run(ExecutorConf conf, TransportConf transport, String bind, String driverHost,
      int driverPort) throws IOException, InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    DriverLink link = new DriverLink(stop);
    TransportClient driverClient = TransportClient.connect(driverHost, driverPort, transport, link);
    JarCache jars = new JarCache(conf.localDir().resolve("jars"),
        sha -> join(driverClient.fetch("jar/" + sha), "job jar " + sha));
    MessageHandler noControl = (from, body) -> LOG.warn("ignored a control message from {}", from);
    try (Executor executor = new Executor(conf, jars, transport);
        TransportServer server = TransportServer.start(bind, 0, transport, noControl,
            executor.shuffleStore()::resolve)) {
      link.executor = executor;
      link.driver = driverClient;
      driverClient.send(new RegisterExecutor(conf.executorId(), conf.host(),
          bind, server.port(), conf.slots()).encode());
      stop.await();
    } finally {
      driverClient.close();
    }
  }

  private static byte[] join(java.util.concurrent.CompletableFuture<byte[]> f, String what) throws IOException {
    try {
      return f.get(5, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("cannot fetch " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
      throw new IOException("cannot fetch " + what + ": " + e, e);
    }
  }

  /** Handles what the driver sends. */
  private static final class DriverLink implements MessageHandler {
    private final CountDownLatch stop;
    volatile Executor executor;
    volatile TransportClient driver;

    DriverLink(CountDownLatch stop) {
      this.stop = stop;
    }

    @Override
    public void onControl(Connection from, byte[] body) {
      ControlMessage message;
      try {
        message = ControlMessage.decode(body);
      } catch (IOException e) {
        LOG.warn("unreadable message from the driver: {}", e.getMessage());
        return;
      }
      if (message instanceof LaunchTask task && executor != null) {
        executor.launch(task, finished -> driver.send(finished.encode()));
      } else if (message instanceof StopExecutor) {
        stop.countDown();
      }
    }

    @Override
    public void onClose(Connection connection) {
      stop.countDown();
    }
  }

  private static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + argv[i]);
      }
      args.put(argv[i].substring(2), argv[i + 1]);
    }
    return args;
  }

  private static String required(Map<String, String> args, String key) {
    String v = args.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }
}
