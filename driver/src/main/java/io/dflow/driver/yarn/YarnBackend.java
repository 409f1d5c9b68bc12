package io.dflow.driver.yarn;

import io.dflow.driver.DflowConf;
import io.dflow.driver.backend.ClusterBackend;
import io.dflow.driver.backend.DriverEndpoint;
import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.driver.backend.ExecutorMemory;
import io.dflow.driver.backend.RegisteredExecutors;
import io.dflow.executor.ExecutorMain;
import io.dflow.hdfs.RackResolver;
import io.dflow.executor.LocalDirs;
import io.dflow.executor.net.Connection;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportOptions;
import io.dflow.executor.net.TransportServer;
import io.dflow.executor.protocol.ControlEndpoint;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.StopExecutor;
import io.dflow.executor.protocol.ExecutorId;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --master yarn}, client deploy mode: the driver runs here; a YARN application whose
 * master ({@link ApplicationMaster}) asks the ResourceManager for executor containers. dflow's
 * jars are shipped through the staging directory ({@link Staging}); executors connect back to
 * this driver over the authenticated transport with a secret made here, which reaches the
 * application master and the executors among their containers' credentials only. A lost executor
 * is replaced with a new container request, as {@code local-cluster} replaces a process, at most
 * twice as many times as there are executors; its loss names the container, its host and how
 * YARN says it ended.
 */
public final class YarnBackend implements ClusterBackend {
  /**
   * Set on the driver that runs in its application master's container (cluster deploy mode):
   * the backend then runs the master in this JVM instead of submitting an application.
   */
  public static final String IN_APPLICATION_MASTER = "dflow.yarn.inApplicationMaster";
  private static final Logger LOG = LoggerFactory.getLogger(YarnBackend.class);
  private static final EnumSet<YarnApplicationState> ENDED =
      EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);

  private final Map<String, String> conf;
  private final Path jobJar;
  private final boolean inApplicationMaster = Boolean.getBoolean(IN_APPLICATION_MASTER);
  /** The master's thread, when it runs in this JVM. */
  private Thread masterThread;
  private final YarnSettings settings;
  private final Path appDir;
  private final ExecutorMemory memory;
  private final TransportConf transport;
  private final RegisteredExecutors registered = new RegisteredExecutors(this::placeOf);
  /** How each executor's container ended, as the application master reports it. */
  private final Map<String, CompletableFuture<AmMessage.Ended>> ends = new ConcurrentHashMap<>();
  /** Executors' containers by id, once started. */
  private final Map<String, AmMessage.Started> started = new ConcurrentHashMap<>();
  /** The application master connected now, across its attempts, and the requests it has not met. */
  private final MasterLink link = new MasterLink();
  /** YARN ended the application while no master was connected: no container will come. */
  private volatile boolean masterGone;
  private TransportServer server;
  private YarnClient yarn;
  private ApplicationId appId;
  private Staging staging;
  /** Moves the requests still open towards the waiting tasks' hosts, once the first executors started. */
  private volatile PlacementUpdates placement;
  private RackResolver racks;
  private DriverEndpoint driver;
  private String driverAddress;
  private volatile boolean closing;
  private volatile AmMessage.Ended failedAtStart;
  private int nextExecutor;
  private int replacements;
  private boolean succeeded;
  private String diagnostic = "the driver stopped before its jobs finished";
  /** The first master's connection. */
  private Connection master;
  /** Whether the first executors were asked for (at the first job). */
  private boolean firstAsked;

  /** @param jobJar shipped beside dflow's jars, where executors read it instead of fetching it (null: none) */
  public YarnBackend(Map<String, String> conf, Path appDir, ExecutorMemory memory, Path jobJar) {
    this.conf = conf;
    this.jobJar = jobJar;
    this.settings = YarnSettings.from(conf);
    this.appDir = appDir;
    this.memory = memory;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.transport = new TransportConf(secret, Integer.parseInt(conf.get(DflowConf.MAX_FRAME).trim()),
        TransportConf.DEFAULT_FETCH_CHUNK_BYTES, Long.parseLong(conf.get(DflowConf.HANDSHAKE_TIMEOUT).trim()))
        .withTls(DflowConf.tlsIdentity(conf, true));
  }

  /** The YARN application's id, once submitted. */
  public ApplicationId applicationId() {
    return appId;
  }

  @Override
  public List<ExecutorHandle> start(DriverEndpoint driver) throws IOException {
    this.driver = driver;
    Files.createDirectories(appDir);
    server = TransportServer.start("0.0.0.0", 0, transport,
        new Dispatch(new ControlEndpoint("driver", new FromExecutors())), driver::driverBlock);
    String host = conf.getOrDefault(DflowConf.DRIVER_HOST, "").strip();
    driverAddress = (host.isEmpty() ? InetAddress.getLocalHost().getCanonicalHostName() : host) + ":" + server.port();
    YarnConfiguration yarnConf = YarnConf.create(conf, inApplicationMaster ? new File(Staging.CONF_LINK) : null);
    yarn = YarnClient.createYarnClient();
    yarn.init(yarnConf);
    yarn.start();
    racks = new RackResolver(yarnConf);
    try {
      if (inApplicationMaster) {
        attach(yarnConf);
      } else {
        submit(yarnConf);
      }
    } catch (YarnException e) {
      throw new IOException("YARN refused the application: " + e.getMessage(), e);
    }
    awaitMaster();
    return List.of();
  }

  /** Runs the master in this JVM, the application's own master container: the driver was submitted in it. */
  private void attach(YarnConfiguration yarnConf) throws IOException {
    String container = System.getenv(org.apache.hadoop.yarn.api.ApplicationConstants.Environment.CONTAINER_ID.name());
    if (container == null) {
      throw new IOException(IN_APPLICATION_MASTER + " is set, but this JVM is not in a YARN container");
    }
    appId = org.apache.hadoop.yarn.api.records.ContainerId.fromString(container).getApplicationAttemptId()
        .getApplicationId();
    stage(yarnConf);
    masterThread = ApplicationMaster.startInProcess(HexFormat.of().formatHex(transport.secret()), transport.tls(),
        driverAddress.substring(0, driverAddress.lastIndexOf(':')), server.port());
  }

  /** Ships what executors need (the jars found already there are reused) and makes their launch setup. */
  private List<ShippedFile> stage(YarnConfiguration yarnConf) throws IOException {
    staging = new Staging(yarnConf, conf.get(DflowConf.YARN_STAGING_DIR));
    List<ShippedFile> classpath = staging.shipClasspath(classpathEntries(), appDir.resolve("staging"));
    List<ShippedFile> executorFiles = new ArrayList<>(classpath);
    if (jobJar != null) {
      executorFiles.add(staging.shipAsHash(jobJar));
    }
    executorFiles.add(staging.shipExecutorConf(yarnConf, appId.toString()));
    LOG.info("application {}: jars {}", appId, staging.summary());
    setup = new AmMessage.Setup(settings.executorContainerMb(), settings.cores(), executorCommand(classpath),
        executorFiles);
    return classpath;
  }

  private void submit(YarnConfiguration yarnConf) throws IOException, YarnException {
    YarnClientApplication app = yarn.createApplication();
    ApplicationSubmissionContext context = app.getApplicationSubmissionContext();
    appId = context.getApplicationId();
    List<ShippedFile> classpath = stage(yarnConf);
    List<ShippedFile> amFiles = new ArrayList<>(classpath);
    amFiles.add(staging.shipConf(yarnConf, appId.toString()));

    List<String> amCommand = ContainerCommands.java(YarnSettings.heapOption(settings.amHeapBytes()), Map.of(), classpath);
    amCommand.addAll(List.of(ApplicationMaster.class.getName(), "--driver", driverAddress));
    AmContainer.describe(context, settings, amFiles, amCommand, io.dflow.executor.RunSecret.asTokens(transport.secret(),
        transport.tls()));
    yarn.submitApplication(context);
  }

  private AmMessage.Setup setup;

  /** The executor's command up to its per-container arguments. */
  private List<String> executorCommand(List<ShippedFile> classpath) {
    List<String> cmd = ContainerCommands.java(YarnSettings.heapOption(settings.heapBytes()), conf, classpath);
    cmd.addAll(List.of(ExecutorMain.class.getName(), "--driver", driverAddress, "--slots",
        String.valueOf(settings.cores()), "--local-dir", "dflow-local", "--jar-dir", "."));
    cmd.addAll(TransportOptions.of(transport));
    if (memory.storageBytes() != null) {
      cmd.addAll(List.of("--storage-memory", String.valueOf(memory.storageBytes())));
    }
    cmd.addAll(List.of("--execution-fraction", String.valueOf(memory.executionFraction()),
        "--log", org.apache.hadoop.yarn.api.ApplicationConstants.LOG_DIR_EXPANSION_VAR + "/stderr"));
    return cmd;
  }

  private List<Path> classpathEntries() throws IOException {
    return classpathEntries(conf);
  }

  /** The driver's own class path (or {@code dflow.executor.classpath}), wildcards expanded: what containers run with. */
  static List<Path> classpathEntries(Map<String, String> conf) throws IOException {
    String cp = conf.getOrDefault("dflow.executor.classpath", System.getProperty("java.class.path"));
    List<Path> entries = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator)) {
      if (e.endsWith("*")) {
        Path dir = Path.of(e.substring(0, e.length() - 1));
        try (var jars = Files.list(dir)) {
          jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(entries::add);
        }
      } else if (!e.isBlank()) {
        entries.add(Path.of(e));
      }
    }
    return entries;
  }

  /** Waits for the application master to connect, and gives it the executors' launch setup. */
  private void awaitMaster() throws IOException {
    long timeout = registrationTimeout();
    try {
      master = link.first().get(timeout, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the application master of " + appId + " did not start within " + timeout + " ms: "
          + report());
    } catch (Exception e) {
      throw new IOException("the application master of " + appId + " failed: " + e.getMessage(), e);
    }
    link.setup(setup);
  }

  private long registrationTimeout() {
    return Long.parseLong(conf.get(DflowConf.REGISTRATION_TIMEOUT).trim());
  }

  /**
   * Asks for the executors once the first job's tasks wait, each container near its share of
   * the hosts those tasks would rather run on ({@link ContainerPlacement}), as the delay
   * scheduler needs them; before, nothing says where the data is. They join the scheduler
   * together once {@code dflow.yarn.minRegisteredRatio} of them registered, the others as their
   * containers come. Returns at once: a thread of its own waits, and fails the application's
   * jobs if the executors do not come.
   */
  @Override
  public void jobSubmitted() {
    synchronized (this) {
      if (firstAsked || closing) {
        return;
      }
      firstAsked = true;
    }
    List<List<String>> placed;
    try {
      placed = ContainerPlacement.hosts(driver.pendingTaskHosts(), settings.executors());
    } catch (RuntimeException stopped) {
      return; // the scheduler stopped: the application is ending
    }
    placement = new PlacementUpdates(this::outstanding, driver::pendingTaskHosts, racks, this::relocate);
    List<String> asked = new ArrayList<>();
    for (List<String> hosts : placed) {
      String id = newExecutorId();
      asked.add(id);
      placement.askedFor(id, hosts);
      request(id, hosts);
    }
    LOG.info("asked for executors {} preferring {}", asked, placed);
    Thread wait = new Thread(() -> {
      try {
        awaitFirst(asked);
      } catch (IOException e) {
        if (!closing) {
          driver.applicationEnded("the executors did not start: " + e.getMessage());
        }
      }
    }, "dflow-yarn-first-executors");
    wait.setDaemon(true);
    wait.start();
  }

  /** Waits for the first executors and hands those that registered to the scheduler, or says why they did not. */
  private void awaitFirst(List<String> asked) throws IOException {
    long timeout = registrationTimeout();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
    int needed = settings.minRegistered();
    while (registered.size() < needed) {
      if (closing) {
        return;
      }
      if (failedAtStart != null) {
        throw new IOException("executor " + failedAtStart.executor() + " " + ContainerEnds.describe(failedAtStart)
            + " before it registered");
      }
      if (!master.isOpen()) {
        throw new IOException("the application master of " + appId + " went away: " + report());
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException("only " + registered.size() + " of " + settings.executors() + " executors ("
            + settings.executorContainerMb() + " MiB, " + settings.cores() + " cores each) started within " + timeout
            + " ms" + (needed < settings.executors() ? " (" + needed + " needed, " + DflowConf.YARN_MIN_REGISTERED_RATIO
            + ")" : "") + ": queue '" + settings.queue() + "' did not give the containers");
      }
      registered.await(deadline);
    }
    List<ExecutorHandle> first;
    synchronized (registered) {
      for (String id : asked) {
        if (!registered.contains(new ExecutorId(id))) {
          registered.joinsLate(new ExecutorId(id));
        }
      }
      first = registered.started();
    }
    for (String id : asked) {
      if (!registered.everRegistered(new ExecutorId(id))) {
        LOG.info("executor {} joins when its container comes; its request follows the waiting tasks' hosts", id);
        watchLate(id);
      }
    }
    LOG.info("executors {} joined: the job's tasks start", first.stream().map(e -> e.id().value()).toList());
    for (ExecutorHandle e : first) {
      driver.executorJoined(e);
    }
    placement.start();
  }

  /** Executors asked for whose containers have not started: their requests may still move. */
  private List<String> outstanding() {
    List<String> ids = new ArrayList<>();
    ends.forEach((id, end) -> {
      if (!end.isDone() && !started.containsKey(id) && !registered.everRegistered(new ExecutorId(id))) {
        ids.add(id);
      }
    });
    ids.sort(java.util.Comparator.comparingInt(id -> Integer.parseInt(id.substring("exec-".length()))));
    return ids;
  }

  /** Asks again for {@code executor}'s container, now on one of {@code hosts} (the master replaces its request). */
  private void relocate(String executor, List<String> hosts, List<String> racks) {
    if (!closing) {
      LOG.info("the request for executor {} now prefers {} ({})", executor, hosts, racks);
      link.request(new AmMessage.Request(executor, hosts, racks));
    }
  }

  /** An executor of the first ones that was not there when the job began: logged if its container ends before it joins. */
  private void watchLate(String id) {
    ends.get(id).thenAccept(end -> {
      if (!closing && !registered.everRegistered(new ExecutorId(id))) {
        LOG.warn("executor {} did not join: its {}", id, ContainerEnds.describe(end));
      }
    });
  }

  /** The application's state and YARN's diagnostics, for an error message. */
  private String report() {
    try {
      ApplicationReport r = yarn.getApplicationReport(appId);
      return "it is " + r.getYarnApplicationState() + (r.getDiagnostics() == null || r.getDiagnostics().isBlank()
          ? "" : ": " + r.getDiagnostics().strip());
    } catch (IOException | YarnException e) {
      return "its report cannot be had: " + e.getMessage();
    }
  }

  private synchronized String newExecutorId() {
    return "exec-" + nextExecutor++;
  }

  /** Asks the master for a container for {@code executor}, on one of {@code hosts} if YARN can (their racks next). */
  private void request(String executor, List<String> hosts) {
    ends.put(executor, new CompletableFuture<>());
    link.request(new AmMessage.Request(executor, hosts, hosts.stream().map(racks::rackOf).distinct().toList()));
  }

  /**
   * The container an executor runs in and its node, for the errors of its tasks, or null when
   * its start was not reported yet (the master reports it before the executor's JVM can register).
   */
  private String placeOf(ExecutorId executor) {
    AmMessage.Started s = started.get(executor.value());
    return s == null ? null : s.container() + " on " + s.host();
  }

  /**
   * The id of the executor that replaces {@code lost}, or null when none does: the application
   * ends, or it has replaced enough already.
   */
  private synchronized String replacementFor(ExecutorId lost) {
    // while no master is connected the request waits for YARN's next attempt, unless YARN ended the application
    if (closing || masterGone || replacements >= 2 * settings.executors()) {
      LOG.warn("executor {} is not replaced: {} replacements made already", lost, replacements);
      return null;
    }
    replacements++;
    return newExecutorId();
  }

  /**
   * Asks for the replacement's container near the tasks waiting to run (the lost executor's
   * among them, as the scheduler handled the loss first): the hosts most of them would rather
   * run on, at most {@value ContainerPlacement#HOSTS_PER_REQUEST}, and their racks.
   */
  private void requestReplacement(String id) {
    List<String> hosts;
    try {
      hosts = ContainerPlacement.hosts(driver.pendingTaskHosts(), 1).get(0);
    } catch (RuntimeException stopped) {
      hosts = List.of();
    }
    LOG.info("asked for a container for executor {}{}", id, hosts.isEmpty() ? "" : " preferring " + hosts);
    if (placement != null) {
      placement.askedFor(id, hosts);
    }
    request(id, hosts);
    watchRegistration(id);
  }

  /** Reports a replacement that does not register in time, or whose container ends first, as lost without a replacement. */
  private void watchRegistration(String id) {
    long timeout = Long.parseLong(conf.get(DflowConf.REGISTRATION_TIMEOUT).trim());
    ends.get(id).orTimeout(timeout, TimeUnit.MILLISECONDS).whenComplete((end, error) -> {
      ExecutorId executor = new ExecutorId(id);
      if (closing || registered.contains(executor) || (end != null && registered.everRegistered(executor))) {
        return;
      }
      String reason = end != null ? "it did not register: its " + ContainerEnds.describe(end)
          : "it did not register within " + timeout + " ms: queue '" + settings.queue() + "' gave no container";
      LOG.warn("executor {} lost: {}", id, reason);
      driver.executorLost(executor, reason, false);
    });
  }

  /** Records the final status the application master unregisters with. */
  @Override
  public synchronized void outcome(boolean succeeded, String diagnostic) {
    this.succeeded = succeeded;
    this.diagnostic = succeeded ? "" : diagnostic == null ? "the job failed" : diagnostic;
  }

  @Override
  public void close() {
    closing = true;
    if (placement != null) {
      placement.stop();
    }
    for (RegisteredExecutors.Remote r : registered.all()) {
      r.connection().send(new StopExecutor().encode());
    }
    boolean ok;
    String why;
    synchronized (this) {
      ok = succeeded;
      why = diagnostic;
    }
    link.sendIfOpen(new AmMessage.Finish(ok, why));
    if (masterThread != null) {
      try {
        masterThread.join(TimeUnit.SECONDS.toMillis(30)); // it unregisters before the JVM may exit
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (yarn != null && appId != null) {
      awaitEndOrKill();
    }
    if (yarn != null) {
      yarn.stop();
    }
    if (staging != null && appId != null) {
      staging.cleanUp(appId.toString());
    }
    if (server != null) {
      server.close();
    }
    LocalDirs.deleteRecursively(appDir);
  }

  /**
   * Waits a while for the application master to unregister and YARN to end the application (its
   * containers released), else kills it; one whose master never connected is killed at once.
   */
  private void awaitEndOrKill() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(link.first().isDone() ? 20 : 0);
    try {
      while (System.nanoTime() < deadline) {
        if (ENDED.contains(yarn.getApplicationReport(appId).getYarnApplicationState())) {
          return;
        }
        Thread.sleep(100);
      }
      if (!ENDED.contains(yarn.getApplicationReport(appId).getYarnApplicationState())) {
        yarn.killApplication(appId);
      }
    } catch (IOException | YarnException e) {
      LOG.warn("cannot end application {}: {}", appId, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Path executorDir(ExecutorId id) {
    throw new UnsupportedOperationException("MPI stages do not run on --master yarn");
  }

  @Override
  public TransportConf transport() {
    return transport;
  }

  @Override
  public List<String> javaCommand() {
    throw new UnsupportedOperationException("MPI stages do not run on --master yarn");
  }

  @Override
  public Path appDir() {
    return appDir;
  }

  /** The driver's port serves executors and the application master: its frames are told apart by their first byte. */
  private final class Dispatch implements MessageHandler {
    private final ControlEndpoint executors;

    Dispatch(ControlEndpoint executors) {
      this.executors = executors;
    }

    @Override
    public void onControl(Connection from, byte[] body) {
      if (!AmMessage.isAmFrame(body)) {
        executors.onControl(from, body);
        return;
      }
      AmMessage message;
      try {
        message = AmMessage.decode(body);
      } catch (IOException e) {
        LOG.warn("an unreadable message from the application master: {}", e.getMessage());
        return;
      }
      if (message instanceof AmMessage.Hello hello) {
        List<AmMessage.Request> again = link.connected(from);
        LOG.info("application master {} connected", hello.appAttempt());
        if (link.attempts() > 1) {
          for (AmMessage.Request r : again) {
            started.remove(r.executor()); // its container, if it had one, ended with the attempt before
          }
          LOG.warn("a new attempt of the application master connected: containers asked for again for {}",
              again.stream().map(AmMessage.Request::executor).toList());
        }
      } else if (message instanceof AmMessage.Started s) {
        started.put(s.executor(), s);
      } else if (message instanceof AmMessage.Ended end) {
        ended(end);
      }
    }

    @Override
    public void onClose(Connection connection) {
      if (link.isCurrent(connection)) {
        if (!closing) {
          LOG.warn("the application master's connection closed");
          if (registered.isStarted()) {
            watchForNextAttempt(link.attempts());
          }
        }
        registered.wake();
      } else {
        executors.onClose(connection);
      }
    }
  }

  /**
   * After the master's connection closed mid-application: waits for YARN's next attempt to
   * connect, or for YARN to end the application, which ends its jobs saying so.
   */
  private void watchForNextAttempt(int attemptsSeen) {
    Thread watch = new Thread(() -> {
      try {
        while (!closing && link.attempts() == attemptsSeen) {
          ApplicationReport r = yarn.getApplicationReport(appId);
          if (ENDED.contains(r.getYarnApplicationState())) {
            masterGone = true;
            String why = "the application master of " + appId + " ended after " + attemptsSeen + " attempt"
                + (attemptsSeen == 1 ? "" : "s") + " (" + DflowConf.YARN_MAX_APP_ATTEMPTS + "=" + settings.maxAppAttempts()
                + "), and YARN " + r.getYarnApplicationState() + " the application"
                + (r.getDiagnostics() == null || r.getDiagnostics().isBlank() ? "" : ": " + r.getDiagnostics().strip());
            LOG.error(why);
            driver.applicationEnded(why);
            return;
          }
          Thread.sleep(500);
        }
      } catch (IOException | YarnException e) {
        LOG.warn("cannot follow application {}: {}", appId, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "dflow-yarn-next-attempt");
    watch.setDaemon(true);
    watch.start();
  }

  private void ended(AmMessage.Ended end) {
    link.met(end.executor());
    CompletableFuture<AmMessage.Ended> f = ends.computeIfAbsent(end.executor(), k -> new CompletableFuture<>());
    f.complete(end);
    RegisteredExecutors.Remote still = registered.all().stream()
        .filter(r -> r.id().value().equals(end.executor())).findFirst().orElse(null);
    if (still != null && !closing) {
      // YARN says its container ended (its folder is being deleted) though the process is still
      // connected, as when only the container's shell was killed: it is lost all the same
      LOG.warn("executor {} is still connected, but its container ended: closing its connection", end.executor());
      still.connection().close();
    }
    if (!registered.isStarted() && !closing) {
      failedAtStart = end;
      registered.wake();
    }
  }

  /**
   * How long a lost executor's container may take to be reported ended, after its connection
   * closed: a NodeManager's heartbeat, then the master's (a second each), on a busy machine.
   */
  private static final int END_WAIT_SECONDS = 5;

  /** Registrations and status updates from executors; runs on the event loop, so only posts. */
  private final class FromExecutors implements ControlEndpoint.Receiver {
    @Override
    public void onMessage(Connection from, ControlMessage message) {
      registered.onMessage(from, message, driver);
      if (message instanceof ControlMessage.RegisterExecutor r) {
        link.met(r.executor().value());
      }
    }

    @Override
    public void onClose(Connection connection) {
      RegisteredExecutors.Remote r = registered.senderOf(connection);
      if (r == null || closing) {
        return;
      }
      registered.remove(r.id());
      // the container's end says more than the closed connection; it comes from the master soon after
      ends.getOrDefault(r.id().value(), new CompletableFuture<>()).completeOnTimeout(null, END_WAIT_SECONDS,
          TimeUnit.SECONDS)
          .thenAccept(end -> {
            String replacement = replacementFor(r.id());
            boolean replacing = replacement != null;
            String reason = "its connection closed; " + (end != null ? "its " + ContainerEnds.describe(end)
                : "its container " + containerOf(r.id().value()) + " had not ended " + END_WAIT_SECONDS + " s later");
            LOG.warn("executor {} lost{}: {}", r.id(), replacing ? " (a container is asked for in its place)" : "",
                reason);
            driver.executorLost(r.id(), reason, replacing, end == null || ContainerEnds.causedByApp(end.exitStatus()));
            if (replacing) {
              requestReplacement(replacement);
            }
          });
    }

    private String containerOf(String executor) {
      AmMessage.Started s = started.get(executor);
      return s == null ? "(unknown)" : s.container() + " on " + s.host();
    }
  }
}
