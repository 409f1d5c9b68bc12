package io.dflow.driver.yarn;

import io.dflow.executor.ExecutorMain;
import io.dflow.executor.RunSecret;
import io.dflow.executor.net.Connection;
import io.dflow.executor.net.EventLoops;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.TransportClient;
import io.dflow.executor.net.TlsIdentity;
import io.dflow.executor.net.TransportConf;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.UpdatedContainer;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of a dflow application's master in its YARN container: registers with the
 * ResourceManager, asks for the containers the driver wants (with the hosts and racks it
 * prefers), starts {@link ExecutorMain} in them through their NodeManagers with the run's secret
 * among their credentials, tells the driver when a container ends and why, and at the end releases
 * every container and unregisters with the driver's final status. It decides nothing itself:
 * replacing a lost executor is the driver's call, made with a new request. Its only argument is
 * the driver's address; the secret arrives among its own container's credentials ({@link RunSecret}).
 *
 * <p>Threading: the driver's messages arrive on the transport's event loop, YARN's callbacks on
 * their own threads; every piece of state is guarded by this object.
 */
public final class ApplicationMaster {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationMaster.class);
  private static final Priority PRIORITY = Priority.newInstance(1);

  private final String secretHex;
  private final TlsIdentity tls;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Map<String, ContainerRequest> pending = new LinkedHashMap<>();
  private final Map<ContainerId, Container> containers = new HashMap<>();
  private final Map<ContainerId, String> executorOf = new HashMap<>();
  private AMRMClientAsync<ContainerRequest> rm;
  private NMClientAsync nm;
  private TransportClient driver;
  private AmMessage.Setup setup;
  private boolean succeeded;
  private String diagnostic = "the driver's connection closed before the application finished";

  /** @param tls the application's TLS key material, null for plain TCP */
  private ApplicationMaster(String secretHex, TlsIdentity tls) {
    this.secretHex = secretHex;
    this.tls = tls;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("--driver") || args[1].lastIndexOf(':') <= 0) {
      System.err.println("usage: ApplicationMaster --driver HOST:PORT (the secret among the container's credentials)");
      System.exit(2);
    }
    byte[] found = RunSecret.find();
    if (found == null) {
      System.err.println("application master: the YARN credential " + RunSecret.CREDENTIAL + " is missing");
      System.exit(2);
    }
    String secret = HexFormat.of().formatHex(found);
    int colon = args[1].lastIndexOf(':');
    int exit = new ApplicationMaster(secret, RunSecret.findTls()).run(args[1].substring(0, colon), Integer.parseInt(args[1].substring(colon + 1)));
    EventLoops.shutdownForExit();
    System.exit(exit);
  }

  /**
   * Runs the master on a thread of this JVM, for a driver that runs in the master's own container
   * (cluster deploy mode); it connects to that driver's port like any master. The thread ends
   * once the master unregistered.
   */
  static Thread startInProcess(String secretHex, TlsIdentity tls, String driverHost, int driverPort) {
    Thread t = new Thread(() -> {
      try {
        new ApplicationMaster(secretHex, tls).run(driverHost, driverPort);
      } catch (Exception e) {
        LOG.error("the application master failed", e);
      }
    }, "dflow-application-master");
    t.start();
    return t;
  }

  private int run(String driverHost, int driverPort) throws Exception {
    YarnConfiguration conf = new YarnConfiguration();
    File shipped = new File(Staging.CONF_LINK);
    if (shipped.isFile()) {
      conf.addResource(new Path(shipped.toURI()));
    }
    rm = AMRMClientAsync.createAMRMClientAsync(1000, new FromResourceManager());
    rm.init(conf);
    rm.start();
    nm = NMClientAsync.createNMClientAsync(new FromNodeManagers());
    nm.init(conf);
    nm.start();
    String nmHost = System.getenv(ApplicationConstants.Environment.NM_HOST.name());
    rm.registerApplicationMaster(nmHost == null ? "" : nmHost, 0, "");
    String containerId = System.getenv(ApplicationConstants.Environment.CONTAINER_ID.name());
    TransportConf transport = new TransportConf(HexFormat.of().parseHex(secretHex), TransportConf.DEFAULT_MAX_FRAME_BYTES,
        TransportConf.DEFAULT_FETCH_CHUNK_BYTES, TransportConf.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS).withTls(tls);
    try {
      driver = TransportClient.connect(driverHost, driverPort, transport, new FromDriver());
    } catch (IOException e) {
      finish(false, "the application master cannot reach the driver at " + driverHost + ":" + driverPort + ": "
          + e.getMessage());
      return 1;
    }
    driver.send(new AmMessage.Hello(containerId == null ? "" : containerId).encode());
    finished.await();
    boolean ok;
    String why;
    synchronized (this) {
      ok = succeeded;
      why = diagnostic;
    }
    unregister(ok, why);
    driver.close();
    return ok ? 0 : 1;
  }

  private synchronized void finish(boolean ok, String why) {
    if (finished.getCount() == 0) {
      return;
    }
    succeeded = ok;
    diagnostic = why;
    for (ContainerId id : containers.keySet()) {
      rm.releaseAssignedContainer(id);
    }
    for (ContainerRequest r : pending.values()) {
      rm.removeContainerRequest(r);
    }
    pending.clear();
    finished.countDown();
  }

  private void unregister(boolean ok, String why) {
    try {
      rm.unregisterApplicationMaster(ok ? FinalApplicationStatus.SUCCEEDED : FinalApplicationStatus.FAILED, why, null);
    } catch (Exception e) {
      LOG.warn("cannot unregister from the ResourceManager: {}", e.toString());
    }
    rm.stop();
    nm.stop();
  }

  /**
   * Asks for {@code r}'s container; a second request for an executor still waiting replaces its
   * first (it keeps its place in the queue), one for an executor that has its container is dropped.
   */
  private synchronized void request(AmMessage.Request r) {
    if (finished.getCount() == 0 || executorOf.containsValue(r.executor())) {
      return;
    }
    ContainerRequest request = new ContainerRequest(Resource.newInstance(setup.memoryMb(), setup.cores()),
        r.hosts().isEmpty() ? null : r.hosts().toArray(String[]::new),
        r.racks().isEmpty() ? null : r.racks().toArray(String[]::new), PRIORITY, true);
    ContainerRequest replaced = pending.put(r.executor(), request);
    if (replaced != null) {
      rm.removeContainerRequest(replaced);
    }
    rm.addContainerRequest(request);
    LOG.info("asked for a container for executor {}{}", r.executor(),
        r.hosts().isEmpty() ? "" : " preferring hosts " + r.hosts() + ", racks " + r.racks());
  }

  private synchronized void allocated(List<Container> allocated) {
    for (Container c : allocated) {
      String executor = pickFor(c.getNodeId().getHost());
      if (executor == null || finished.getCount() == 0) {
        rm.releaseAssignedContainer(c.getId());
        continue;
      }
      rm.removeContainerRequest(pending.remove(executor));
      containers.put(c.getId(), c);
      executorOf.put(c.getId(), executor);
      nm.startContainerAsync(c, launchContext(executor, c.getNodeId().getHost()));
    }
  }

  /** The waiting executor that asked for {@code host}, else the one that has waited longest. */
  private String pickFor(String host) {
    for (Map.Entry<String, ContainerRequest> e : pending.entrySet()) {
      List<String> nodes = e.getValue().getNodes();
      if (nodes != null && nodes.contains(host)) {
        return e.getKey();
      }
    }
    Iterator<String> first = pending.keySet().iterator();
    return first.hasNext() ? first.next() : null;
  }

  private ContainerLaunchContext launchContext(String executor, String host) {
    List<String> cmd = new ArrayList<>(setup.command());
    cmd.addAll(List.of("--id", executor, "--host", host, "--bind", host));
    Map<String, LocalResource> resources = new HashMap<>();
    for (ShippedFile f : setup.resources()) {
      resources.put(f.link(), f.resource());
    }
    // the secret is a credential of the container, not its environment or command line, which others may read
    return ContainerLaunchContext.newInstance(resources, ContainerCommands.ENVIRONMENT,
        List.of(ContainerCommands.shellLine(cmd)), null,
        RunSecret.asTokens(HexFormat.of().parseHex(secretHex), tls), null);
  }

  private synchronized void ended(ContainerId id, String host, int exitStatus, String diagnostics) {
    containers.remove(id);
    String executor = executorOf.remove(id);
    if (executor != null && driver != null) {
      driver.send(new AmMessage.Ended(executor, id.toString(), host, exitStatus, diagnostics).encode());
    }
  }

  /** The node of a container, as its NodeManager's host:port, for messages. */
  private synchronized String hostOf(ContainerId id) {
    Container c = containers.get(id);
    return c == null ? "" : c.getNodeId().toString();
  }

  /** What the driver says. */
  private final class FromDriver implements MessageHandler {
    @Override
    public void onControl(Connection from, byte[] body) {
      AmMessage message;
      try {
        message = AmMessage.decode(body);
      } catch (IOException e) {
        LOG.warn("an unreadable message from the driver: {}", e.getMessage());
        return;
      }
      if (message instanceof AmMessage.Setup s) {
        synchronized (ApplicationMaster.this) {
          setup = s;
        }
      } else if (message instanceof AmMessage.Request r) {
        request(r);
      } else if (message instanceof AmMessage.Finish f) {
        finish(f.succeeded(), f.diagnostic());
      }
    }

    @Override
    public void onClose(Connection connection) {
      finish(false, "the driver's connection closed before the application finished");
    }
  }

  /** The ResourceManager's answers. */
  private final class FromResourceManager extends AMRMClientAsync.AbstractCallbackHandler {
    @Override
    public void onContainersAllocated(List<Container> allocated) {
      allocated(allocated);
    }

    @Override
    public void onContainersCompleted(List<ContainerStatus> statuses) {
      for (ContainerStatus s : statuses) {
        ended(s.getContainerId(), hostOf(s.getContainerId()), s.getExitStatus(), s.getDiagnostics());
      }
    }

    @Override
    public void onContainersUpdated(List<UpdatedContainer> containers) {}

    @Override
    public void onShutdownRequest() {
      finish(false, "the ResourceManager asked the application master to shut down");
    }

    @Override
    public void onNodesUpdated(List<NodeReport> updated) {}

    @Override
    public float getProgress() {
      return 0;
    }

    @Override
    public void onError(Throwable e) {
      finish(false, "the application master lost the ResourceManager: " + e);
    }
  }

  /** The NodeManagers' answers about container starts. */
  private final class FromNodeManagers extends NMClientAsync.AbstractCallbackHandler {
    @Override
    public void onContainerStarted(ContainerId id, Map<String, ByteBuffer> serviceData) {
      String executor;
      String host;
      synchronized (ApplicationMaster.this) {
        executor = executorOf.get(id);
        host = hostOf(id);
      }
      if (executor != null) {
        driver.send(new AmMessage.Started(executor, id.toString(), host).encode());
      }
    }

    @Override
    public void onStartContainerError(ContainerId id, Throwable t) {
      String host = hostOf(id);
      rm.releaseAssignedContainer(id);
      ended(id, host, -1, "the NodeManager could not start it: " + t);
    }

    @Override
    public void onContainerStatusReceived(ContainerId id, ContainerStatus status) {}

    @Override
    public void onContainerStopped(ContainerId id) {}

    @Override
    public void onGetContainerStatusError(ContainerId id, Throwable t) {}

    @Override
    public void onContainerResourceIncreased(ContainerId id, Resource resource) {}

    @Override
    public void onContainerResourceUpdated(ContainerId id, Resource resource) {}

    @Override
    public void onIncreaseContainerResourceError(ContainerId id, Throwable t) {}

    @Override
    public void onUpdateContainerResourceError(ContainerId id, Throwable t) {}

    @Override
    public void onStopContainerError(ContainerId id, Throwable t) {}
  }
}
