package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --master yarn} on a real (mini) YARN cluster and HDFS, shared by the tests of this
 * class: WordCount through {@code dflow run} in its own process, with executors in containers,
 * against an independent count, in client and cluster deploy mode; the secret among the
 * containers' credentials, on no command line and in no environment; the jars shipped once; an
 * executor's process killed mid-job; failed jobs, an executor that dies at start-up, a queue
 * without room and a stopped driver, each ending the application as it should; the executors
 * asked for at the first job on its input's hosts (read in the master's log and in the
 * ResourceManager); a driver in cluster mode reading paths without a scheme; a task's
 * error naming its container; a master killed mid-job and retried, in cluster mode (the job
 * runs again) and in client mode (the driver serves the next attempt).
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class YarnEndToEndTest {
  @TempDir
  static Path dir;
  static MiniYarn cluster;
  static Map<String, Long> expected;
  static String input;

  @BeforeAll
  static void start() throws IOException {
    cluster = MiniYarn.start("dflow-yarn", 1, dir);
    input = cluster.dfs.getURI() + "/in/corpus.txt";
    expected = YarnRuns.corpusOn(cluster.fs, dir, 6_000_000, 31, input);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void wordCountRunsInContainersAndNoCommandLineHoldsTheSecret() throws Exception {
    String out = cluster.dfs.getURI() + "/out/plain";
    Set<String> commandLines = new HashSet<>();
    Set<String> containerEnvironments = new HashSet<>();
    String secret = null;
    String tlsKey = null;
    String jobJar = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(TestJars.examples())));
    boolean readShippedJar = false;
    Process driver = dflow("plain", out);
    while (driver.isAlive()) {
      for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
        String cmd = cmdline(p);
        commandLines.add(cmd);
        if (cmd.contains("io.dflow.driver.yarn.ApplicationMaster") || cmd.contains("io.dflow.executor.ExecutorMain")) {
          containerEnvironments.add(environ(p).toString());
        }
        if (cmd.contains("io.dflow.executor.ExecutorMain")) {
          secret = secret != null ? secret : credentialSecret(p);
          tlsKey = tlsKey != null ? tlsKey : credential(p, "dflow.tls.identity");
          // the executor's stderr, in YARN's log folder for its container
          readShippedJar |= procFile(p, "fd/2").contains("job jar " + jobJar + " read from ./" + jobJar + ".jar");
        }
      }
      Thread.sleep(50);
    }
    String log = log("plain");
    assertEquals(0, driver.exitValue(), log);
    assertEquals(expected, counts(out), log);
    assertTrue(log.contains(" reused from ") && !log.contains("jars 0 uploaded"), "the first application ships jars:\n" + log);
    assertNotNull(secret, "an executor container's credentials have the secret:\n" + log);
    assertNotNull(tlsKey, "on yarn connections are TLS by default, the key among the credentials:\n" + log);
    assertTrue(readShippedJar, "an executor read the job jar YARN localised, not fetched from the driver:\n" + log);
    assertTrue(commandLines.stream().anyMatch(c -> c.contains("io.dflow.driver.yarn.ApplicationMaster")), log);
    for (String cmd : commandLines) {
      assertFalse(cmd.contains(secret), "the secret is on a command line: " + cmd);
      assertFalse(cmd.contains(tlsKey), "the TLS key is on a command line: " + cmd);
    }
    assertFalse(containerEnvironments.isEmpty());
    for (String env : containerEnvironments) {
      assertFalse(env.contains(secret) || env.contains("DFLOW_SECRET"), "the secret is in a container's environment");
      assertFalse(env.contains(tlsKey) || env.contains("DFLOW_TLS_KEY"), "the TLS key is in a container's environment");
    }
    ApplicationReport app = onlyApplicationNamed("plain");
    assertEquals(YarnApplicationState.FINISHED, app.getYarnApplicationState());
    assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus());
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void aKilledExecutorContainerIsReplacedAndTheCountsStayExact() throws Exception {
    // a job long enough for the replacement to join before it ends: 40 tasks of 1 MB
    String big = cluster.dfs.getURI() + "/in/big.txt";
    Map<String, Long> bigCounts = YarnRuns.corpusOn(cluster.fs, dir, 40_000_000, 37, big);
    String out = cluster.dfs.getURI() + "/out/killed";
    Process driver = dflowOn(big, "killed", out, "--conf", "dflow.input.maxSplitBytes=1000000");
    awaitTasks(driver, "killed", out);
    Thread.sleep(1000);
    String log = killOneAndAwait(driver, "killed", "io.dflow.executor.ExecutorMain");
    assertEquals(bigCounts, counts(out), log);
    // the replacement is asked for at once; whether it registers before this short job ends is up to the machine
    assertTrue(log.matches("(?s).*; 1 executor lost, [01] replaced\\).*"), log);
    assertTrue(log.contains("asked for a container for executor exec-2"), log);
    assertTrue(log.contains("jars 0 uploaded, "), "a later application reuses the shipped jars:\n" + log);
    assertTrue(log.matches("(?s).*container container_\\S+ on \\S+ exited with .*"), log);
    assertEquals(FinalApplicationStatus.SUCCEEDED, onlyApplicationNamed("killed").getFinalApplicationStatus());
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void aFailedJobExitsNonZeroAndTheApplicationFailsWithItsError() throws Exception {
    String out = cluster.dfs.getURI() + "/out/failing";
    cluster.fs.create(new org.apache.hadoop.fs.Path(out, "keep.txt")).close(); // the job must not replace it
    Process driver = dflow("failing", out);
    assertTrue(driver.waitFor(180, TimeUnit.SECONDS));
    String log = log("failing");
    assertEquals(1, driver.exitValue(), log);
    ApplicationReport app = onlyApplicationNamed("failing");
    assertEquals(FinalApplicationStatus.FAILED, app.getFinalApplicationStatus(), app.toString());
    assertTrue(app.getDiagnostics().contains("Output path already exists"), app.getDiagnostics() + "\n" + log);
    assertTrue(cluster.fs.exists(new org.apache.hadoop.fs.Path(out, "keep.txt")));
  }

  @Test
  @org.junit.jupiter.api.Order(4)
  void inClusterModeTheDriverRunsInTheMastersContainerAndDflowFollowsIt() throws Exception {
    // paths without a scheme: the driver in the master's container reads them with the submitter's fs.defaultFS
    String out = "/out/cluster";
    Process submitter = dflowOn("/in/corpus.txt", "cluster", out, "--deploy-mode", "cluster",
        "--conf", "dflow.yarn.am.memory=256m");
    boolean driverSeen = false;
    boolean driverHasSecret = false;
    // by container id: containers of other tests' applications may still be ending
    Map<String, String> executorSecrets = new HashMap<>();
    Set<String> commandLines = new HashSet<>();
    while (submitter.isAlive()) {
      for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
        String cmd = cmdline(p);
        commandLines.add(cmd);
        if (cmd.contains("-Ddflow.yarn.inApplicationMaster=true")) {
          driverSeen = true;
          driverHasSecret |= environ(p).containsKey("DFLOW_SECRET");
        } else if (cmd.contains("io.dflow.executor.ExecutorMain")) {
          String secret = credentialSecret(p);
          String container = environ(p).get("CONTAINER_ID");
          if (secret != null && container != null) {
            executorSecrets.put(container, secret);
          }
        }
      }
      Thread.sleep(50);
    }
    String log = log("cluster");
    assertEquals(0, submitter.exitValue(), log);
    assertEquals(expected, counts(out), log);
    assertTrue(driverSeen, "the driver ran in a container of the cluster:\n" + log);
    assertFalse(driverHasSecret, "the secret is made in the master's container, not given to it");
    org.apache.hadoop.yarn.api.records.ApplicationId app = onlyApplicationNamed("cluster").getApplicationId();
    Set<String> appSecrets = new HashSet<>();
    executorSecrets.forEach((container, s) -> {
      if (org.apache.hadoop.yarn.api.records.ContainerId.fromString(container).getApplicationAttemptId()
          .getApplicationId().equals(app)) {
        appSecrets.add(s);
      }
    });
    assertEquals(1, appSecrets.size(), "one secret for the application's executors: " + executorSecrets);
    String secret = appSecrets.iterator().next();
    assertTrue(commandLines.stream().noneMatch(c -> c.contains(secret)), "the secret is on no command line");
    assertTrue(log.contains(" is RUNNING (master on "), log);
    assertTrue(log.strip().endsWith("succeeded (FINISHED, SUCCEEDED)"), log);
    assertEquals(FinalApplicationStatus.SUCCEEDED, onlyApplicationNamed("cluster").getFinalApplicationStatus());
  }

  @Test
  @org.junit.jupiter.api.Order(5)
  void inClusterModeAFailedJobFailsTheSubmitterWithTheJobsError() throws Exception {
    String out = cluster.dfs.getURI() + "/out/cluster-failing";
    cluster.fs.create(new org.apache.hadoop.fs.Path(out, "keep.txt")).close();
    Process submitter = dflow("cluster-failing", out, "--deploy-mode", "cluster", "--conf", "dflow.yarn.am.memory=256m");
    assertTrue(submitter.waitFor(180, TimeUnit.SECONDS));
    String log = log("cluster-failing");
    assertEquals(1, submitter.exitValue(), log);
    assertTrue(log.strip().lines().reduce((a, b) -> b).orElse("").contains("failed (FINISHED, FAILED): ")
        && log.contains("Output path already exists: " + out), log);
    assertTrue(cluster.fs.exists(new org.apache.hadoop.fs.Path(out, "keep.txt")));
  }

  @Test
  @org.junit.jupiter.api.Order(6)
  void anExecutorThatDiesAtStartUpFailsTheRunWithItsLogNotAHang() throws Exception {
    Process driver = dflow("dies", cluster.dfs.getURI() + "/out/dies",
        "--conf", "dflow.executor.javaOptions=-XX:+NoSuchDflowOption");
    assertTrue(driver.waitFor(180, TimeUnit.SECONDS));
    String log = log("dies");
    assertEquals(1, driver.exitValue(), log);
    assertTrue(log.matches("(?s).*error: the executors did not start: executor exec-\\d+ container container_\\S+ on \\S+ exited with code 1.*"), log);
    assertTrue(log.contains("Unrecognized VM option 'NoSuchDflowOption'"), "the container's stderr is in the error:\n" + log);
    assertEquals(FinalApplicationStatus.FAILED, onlyApplicationNamed("dies").getFinalApplicationStatus());
  }

  @Test
  @org.junit.jupiter.api.Order(7)
  void aQueueThatCannotGiveTheExecutorsFailsTheRunSayingSo() throws Exception {
    // 3 GiB on the one NodeManager: the master and one 2 GiB executor fit, the second never does
    Process driver = dflow("full", cluster.dfs.getURI() + "/out/full", "--executor-memory", "2g",
        "--conf", "dflow.executor.registrationTimeoutMs=15000");
    assertTrue(driver.waitFor(180, TimeUnit.SECONDS));
    String log = log("full");
    assertEquals(1, driver.exitValue(), log);
    assertTrue(log.contains("error: the executors did not start: only 1 of 2 executors (2240 MiB, 1 cores each) started within 15000 ms: "
        + "queue 'default' did not give the containers"), log);
    assertEquals(FinalApplicationStatus.FAILED, onlyApplicationNamed("full").getFinalApplicationStatus());
  }

  @Test
  @org.junit.jupiter.api.Order(8)
  void stoppingTheDriverLeavesNoContainerAndNoPartialOutput() throws Exception {
    String out = cluster.dfs.getURI() + "/out/stopped";
    Process driver = dflow("stopped", out, "--conf", "dflow.input.maxSplitBytes=300000");
    org.apache.hadoop.fs.Path temporary = awaitTasks(driver, "stopped", out);
    assertTrue(driver.isAlive(), log("stopped"));
    driver.destroy(); // SIGTERM, as Ctrl-C's SIGINT
    assertTrue(driver.waitFor(60, TimeUnit.SECONDS), log("stopped"));
    String log = log("stopped");
    assertEquals(143, driver.exitValue(), log);
    ApplicationReport app = onlyApplicationNamed("stopped");
    assertEquals(FinalApplicationStatus.FAILED, app.getFinalApplicationStatus(), app.toString());
    assertTrue(app.getDiagnostics().contains("cancelled"), app.getDiagnostics());
    assertNoContainerLeft(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
    assertFalse(cluster.fs.exists(temporary), "no partial output");
  }

  @Test
  @org.junit.jupiter.api.Order(9)
  void aDriverKilledOutrightTakesItsApplicationAndContainersWithIt() throws Exception {
    String out = cluster.dfs.getURI() + "/out/sigkill";
    Process driver = dflow("sigkill", out, "--conf", "dflow.input.maxSplitBytes=300000");
    awaitTasks(driver, "sigkill", out);
    assertTrue(driver.isAlive(), log("sigkill"));
    driver.destroyForcibly(); // SIGKILL: no hook runs, the master only sees its connection close
    assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
    long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    ApplicationReport app;
    do {
      Thread.sleep(200);
      app = onlyApplicationNamed("sigkill");
    } while (app.getYarnApplicationState() != YarnApplicationState.FINISHED && System.nanoTime() < gone);
    assertEquals(FinalApplicationStatus.FAILED, app.getFinalApplicationStatus(), app.toString());
    assertTrue(app.getDiagnostics().contains("the driver's connection closed"), app.getDiagnostics());
    assertNoContainerLeft(gone);
  }

  @Test
  @org.junit.jupiter.api.Order(10)
  void theExecutorsAreAskedForAtTheFirstJobOnTheHostsOfItsInputBlocks() throws Exception {
    // the one NodeManager (3 GiB) has room for the master (512 MiB) and one executor of 2 GiB + 192 MiB: the
    // other's request stays open
    Set<String> blockHosts = new HashSet<>();
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(input);
    for (var block : cluster.fs.getFileBlockLocations(file, 0, cluster.fs.getFileStatus(file).getLen())) {
      blockHosts.addAll(List.of(block.getHosts()));
    }
    String out = cluster.dfs.getURI() + "/out/placed";
    Process driver = dflow("placed", out, "--executor-memory", "2g", "--conf", "dflow.yarn.minRegisteredRatio=0.5",
        "--conf", "dflow.input.maxSplitBytes=300000");
    List<org.apache.hadoop.yarn.api.records.ResourceRequest> asks = new ArrayList<>();
    Map<String, String> masterLogs = new HashMap<>(); // by container: the masters' stderr, as they ran
    try (YarnClient client = YarnClient.createYarnClient()) {
      client.init(cluster.yarn.getConfig());
      client.start();
      var scheduler = (org.apache.hadoop.yarn.server.resourcemanager.scheduler.AbstractYarnScheduler<?, ?>)
          cluster.yarn.getResourceManager().getResourceScheduler();
      while (driver.isAlive()) {
        for (ApplicationReport app : client.getApplications()) {
          var attempt = app.getName().equals("placed") && app.getCurrentApplicationAttemptId() != null
              ? scheduler.getApplicationAttempt(app.getCurrentApplicationAttemptId()) : null;
          if (attempt != null) {
            asks.addAll(attempt.getAppSchedulingInfo().getAllResourceRequests());
          }
        }
        for (ProcessHandle p : jvmsRunning("io.dflow.driver.yarn.ApplicationMaster")) {
          String container = environ(p).get("CONTAINER_ID");
          String stderr = procFile(p, "fd/2");
          if (container != null && !stderr.isEmpty()) {
            masterLogs.put(container, stderr);
          }
        }
        Thread.sleep(100);
      }
    }
    String log = log("placed");
    assertEquals(0, driver.exitValue(), log);
    assertEquals(expected, counts(out), log);
    assertFalse(blockHosts.isEmpty());
    assertTrue(log.contains("joins when its container comes"), log);
    // what the master asked for, by its own log: each executor's first request names the blocks' hosts already
    String app = onlyApplicationNamed("placed").getApplicationId().toString().substring("application_".length());
    String masterLog = masterLogs.entrySet().stream().filter(e -> e.getKey().startsWith("container_" + app + "_"))
        .map(Map.Entry::getValue).findFirst().orElse("");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("asked for a container for executor (exec-\\d+)"
        + "(?: preferring hosts \\[([^\\]]*)\\], racks \\[([^\\]]*)\\])?").matcher(masterLog);
    Map<String, List<String>> firstAsked = new java.util.TreeMap<>();
    while (m.find()) {
      firstAsked.putIfAbsent(m.group(1), m.group(2) == null ? List.of() : List.of(m.group(2).split(", ")));
      assertEquals(m.group(2) == null ? null : "/default-rack", m.group(3), masterLog);
    }
    assertEquals(Set.of("exec-0", "exec-1"), firstAsked.keySet(), masterLog + "\n" + log);
    firstAsked.forEach((executor, hosts) -> assertTrue(!hosts.isEmpty() && blockHosts.containsAll(hosts),
        executor + " was first asked for on " + hosts + ", not on the blocks' hosts " + blockHosts + ":\n" + masterLog));
    // what the ResourceManager was asked, as the master's AMRMClient sent it: the block's host and its rack, relaxed
    assertTrue(asks.stream().anyMatch(r -> blockHosts.contains(r.getResourceName()) && r.getNumContainers() == 1
        && r.getRelaxLocality()), "a request names a host of the input's blocks " + blockHosts + ": " + asks + "\n" + log);
    assertTrue(asks.stream().anyMatch(r -> r.getResourceName().equals("/default-rack") && r.getRelaxLocality()),
        asks.toString());
    assertTrue(asks.stream().allMatch(r -> r.getResourceName().equals("*") || blockHosts.contains(r.getResourceName())
        || r.getResourceName().equals("/default-rack")), asks.toString());
    assertEquals(FinalApplicationStatus.SUCCEEDED, onlyApplicationNamed("placed").getFinalApplicationStatus());
  }

  @Test
  @org.junit.jupiter.api.Order(11)
  void aFailedTasksErrorNamesItsExecutorsContainerAndNode() throws Exception {
    String poisoned = cluster.dfs.getURI() + "/in/poisoned.txt";
    try (var w = cluster.fs.create(new org.apache.hadoop.fs.Path(poisoned))) {
      w.write("a\npoison\nb\n".getBytes(StandardCharsets.UTF_8));
    }
    Process driver = dflowJob(TestJars.testJobs(dir), "dflowtest.jobs.FailingMapJob", "poisoned",
        List.of("--conf", "dflow.task.maxAttempts=2"), poisoned, cluster.dfs.getURI() + "/out/poisoned");
    assertTrue(driver.waitFor(180, TimeUnit.SECONDS));
    String log = log("poisoned");
    assertEquals(1, driver.exitValue(), log);
    String appId = onlyApplicationNamed("poisoned").getApplicationId().toString();
    String error = errorLine(log);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("error: task failed: job 0 stage 0 \\(.*\\) task 0 "
        + "\\(attempt 2 of 2\\) on executor exec-\\d+ \\(container_(\\d+_\\d+)_01_\\d+ on [^ :]+:\\d+\\): .*poisoned record.*")
        .matcher(error);
    assertTrue(m.matches(), log);
    assertEquals(appId, "application_" + m.group(1), "the container is one of the application's");
    assertTrue(log.matches("(?s).*the last lines of executor exec-\\d+'s log \\(\\S+/container_" + m.group(1)
        + "_01_\\d+/stderr\\):\n(    .*\n)*    the mapper says: a poisoned record came\n.*"),
        "the error carries the end of the container's log, with what the task printed: " + log);
  }

  @Test
  @org.junit.jupiter.api.Order(12)
  void inClusterModeAMasterKilledMidJobIsRetriedAndItsNextAttemptRunsTheJob() throws Exception {
    String out = cluster.dfs.getURI() + "/out/retried";
    Process submitter = dflow("retried", out, "--deploy-mode", "cluster", "--conf", "dflow.yarn.am.memory=256m",
        "--conf", "dflow.yarn.maxAppAttempts=2", "--conf", "dflow.input.maxSplitBytes=300000");
    awaitClaim(submitter, out);
    String log = killOneAndAwait(submitter, "retried",
        "-D" + io.dflow.driver.yarn.YarnBackend.IN_APPLICATION_MASTER + "=true");
    assertEquals(expected, counts(out), log);
    ApplicationReport app = onlyApplicationNamed("retried");
    assertEquals(2, app.getCurrentApplicationAttemptId().getAttemptId(), app.toString());
    assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus());
    assertFalse(cluster.fs.exists(new org.apache.hadoop.fs.Path(out, "_temporary")), "nothing of the first attempt's left");
  }

  @Test
  @org.junit.jupiter.api.Order(13)
  void inClientModeTheDriverOutlivesAKilledMasterAndTheNextAttemptServesIt() throws Exception {
    String out = cluster.dfs.getURI() + "/out/client-retried";
    Process driver = dflow("client-retried", out, "--conf", "dflow.yarn.maxAppAttempts=2",
        "--conf", "dflow.input.maxSplitBytes=300000");
    awaitTasks(driver, "client-retried", out);
    String log = killOneAndAwait(driver, "client-retried", "io.dflow.driver.yarn.ApplicationMaster");
    assertEquals(expected, counts(out), log);
    assertTrue(log.contains("a new attempt of the application master connected"), log);
    ApplicationReport app = onlyApplicationNamed("client-retried");
    assertEquals(2, app.getCurrentApplicationAttemptId().getAttemptId(), app.toString());
    assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus());
  }

  @Test
  @org.junit.jupiter.api.Order(14)
  void inClusterModeStoppingTheSubmitterCancelsTheJobInTheMasterAndLeavesNoPartialOutput() throws Exception {
    String out = cluster.dfs.getURI() + "/out/cluster-stopped";
    Process submitter = dflow("cluster-stopped", out, "--deploy-mode", "cluster", "--conf", "dflow.yarn.am.memory=256m",
        "--conf", "dflow.input.maxSplitBytes=300000");
    awaitClaim(submitter, out);
    submitter.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the submitter stops the driver in the master's container
    assertTrue(submitter.waitFor(60, TimeUnit.SECONDS), log("cluster-stopped"));
    String log = log("cluster-stopped");
    assertTrue(log.contains("its driver cancels the job") && !log.contains("killing application"), log);
    ApplicationReport app = onlyApplicationNamed("cluster-stopped");
    assertEquals(FinalApplicationStatus.FAILED, app.getFinalApplicationStatus(), app + "\n" + log);
    assertTrue(app.getDiagnostics().contains("cancelled"), app.getDiagnostics());
    assertNoContainerLeft(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
    assertFalse(cluster.fs.exists(new org.apache.hadoop.fs.Path(out, "_temporary")), "no partial output");
  }

  @Test
  @org.junit.jupiter.api.Order(15)
  void inClientModeYarnKillingTheApplicationFailsTheJobAndLeavesNoContainerAndNoPartialOutput() throws Exception {
    String out = cluster.dfs.getURI() + "/out/yarn-killed";
    Process driver = dflow("yarn-killed", out, "--conf", "dflow.input.maxSplitBytes=300000");
    org.apache.hadoop.fs.Path temporary = awaitTasks(driver, "yarn-killed", out);
    assertTrue(driver.isAlive(), log("yarn-killed"));
    try (YarnClient client = YarnClient.createYarnClient()) {
      client.init(cluster.yarn.getConfig());
      client.start();
      client.killApplication(onlyApplicationNamed("yarn-killed").getApplicationId()); // yarn application -kill
    }
    assertTrue(driver.waitFor(60, TimeUnit.SECONDS), log("yarn-killed"));
    String log = log("yarn-killed");
    assertEquals(1, driver.exitValue(), log);
    assertTrue(errorLine(log).contains("YARN KILLED the application"), log);
    assertEquals(YarnApplicationState.KILLED, onlyApplicationNamed("yarn-killed").getYarnApplicationState());
    assertNoContainerLeft(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
    assertFalse(cluster.fs.exists(temporary), "no partial output: " + log);
    assertFalse(cluster.fs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS")));
  }

  /**
   * {@code yarn application -kill} of a cluster-mode application: YARN gives the master's
   * container 250 ms between SIGTERM and SIGKILL, in which its driver removes the partial output
   * before it stops the tasks still writing it.
   */
  @Test
  @org.junit.jupiter.api.Order(16)
  void inClusterModeYarnKillingTheApplicationLeavesNoContainerAndNoPartialOutput() throws Exception {
    String out = cluster.dfs.getURI() + "/out/cluster-yarn-killed";
    Process submitter = dflow("cluster-yarn-killed", out, "--deploy-mode", "cluster",
        "--conf", "dflow.yarn.am.memory=256m", "--conf", "dflow.input.maxSplitBytes=300000");
    awaitClaim(submitter, out);
    assertTrue(submitter.isAlive(), log("cluster-yarn-killed"));
    try (YarnClient client = YarnClient.createYarnClient()) {
      client.init(cluster.yarn.getConfig());
      client.start();
      client.killApplication(onlyApplicationNamed("cluster-yarn-killed").getApplicationId());
    }
    assertTrue(submitter.waitFor(60, TimeUnit.SECONDS), log("cluster-yarn-killed"));
    String log = log("cluster-yarn-killed");
    assertEquals(1, submitter.exitValue(), log);
    assertTrue(log.contains("failed (KILLED, KILLED)"), log);
    assertNoContainerLeft(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
    assertFalse(cluster.fs.exists(new org.apache.hadoop.fs.Path(out, "_temporary")), "no partial output: " + log);
    assertFalse(cluster.fs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS")));
  }

  /** Waits until no executor or master process runs below this JVM, at most until {@code deadlineNanos}. */
  private static void assertNoContainerLeft(long deadlineNanos) throws InterruptedException {
    List<String> left;
    do {
      Thread.sleep(200);
      left = ProcessHandle.current().descendants().map(YarnEndToEndTest::cmdline)
          .filter(c -> c.contains("io.dflow.executor.ExecutorMain") || c.contains("ApplicationMaster")).toList();
    } while (!left.isEmpty() && System.nanoTime() < deadlineNanos);
    assertEquals(List.of(), left, "no container outlives the application");
  }

  /** The first line of a run's output that says {@code error: }. */
  private static String errorLine(String log) {
    return log.lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("(no error line)");
  }

  /** Waits until the job set its output up (its first job started; its executors may still be coming); returns {@code _temporary}. */
  private static org.apache.hadoop.fs.Path awaitJobStart(Process driver, String out) throws Exception {
    org.apache.hadoop.fs.Path temporary = new org.apache.hadoop.fs.Path(out, "_temporary");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!cluster.fs.exists(temporary) && driver.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return temporary;
  }

  /** Waits until the job set its output up and its first executors joined, so its tasks run; returns {@code _temporary}. */
  private static org.apache.hadoop.fs.Path awaitTasks(Process driver, String name, String out) throws Exception {
    org.apache.hadoop.fs.Path temporary = awaitJobStart(driver, out);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(dir.resolve(name + ".log")).contains("joined: the job's tasks start") && driver.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return temporary;
  }

  /** Waits until the job claimed its output (its tasks are about to run, or run), and a second more. */
  private static void awaitClaim(Process driver, String out) throws Exception {
    org.apache.hadoop.fs.Path claim = new org.apache.hadoop.fs.Path(awaitJobStart(driver, out), "_claim");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!cluster.fs.exists(claim) && driver.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(1000);
  }

  /** {@code dflow run --master yarn} WordCount in its own process, pointed at the cluster by {@code HADOOP_CONF_DIR}. */
  private static Process dflow(String name, String out, String... more) throws IOException {
    return dflowOn(input, name, out, more);
  }

  /** WordCount of {@code in} as {@link #dflow}. */
  private static Process dflowOn(String in, String name, String out, String... more) throws IOException {
    return dflowJob(TestJars.examples(), "io.dflow.examples.WordCount", name, List.of(more), in, out);
  }

  /** Job {@code className} of {@code jar} with arguments {@code args}, as {@link #dflow}. */
  private static Process dflowJob(Path jar, String className, String name, List<String> more, String... args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp",
        TestJars.executorClasspath(), "io.dflow.driver.cli.DflowCli", "run", "--master", "yarn", "--name", name,
        "--num-executors", "2", "--conf", "dflow.executor.memory=256m", "--class", className,
        "--conf", "dflow.executor.memoryOverhead=192m", "--conf", "dflow.yarn.am.memory=128m",
        "--conf", "dflow.eventLog.enabled=false", "--conf", "dflow.local.dir=" + dir.resolve("local-" + name),
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath()));
    cmd.addAll(more);
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().put("HADOOP_CONF_DIR", cluster.confDir.toString());
    return pb.start();
  }

  private static String log(String name) throws IOException {
    return YarnRuns.log(dir, name);
  }

  private static ApplicationReport onlyApplicationNamed(String name) throws Exception {
    try (YarnClient client = YarnClient.createYarnClient()) {
      client.init(cluster.yarn.getConfig());
      client.start();
      List<ApplicationReport> apps = client.getApplications().stream().filter(a -> a.getName().equals(name)).toList();
      assertEquals(1, apps.size(), apps.toString());
      return apps.get(0);
    }
  }

  private static Map<String, Long> counts(String out) throws IOException {
    return Corpus.parseCounts(YarnRuns.partLines(cluster.fs, out));
  }

  /**
   * Kills (SIGKILL) a JVM of run {@code name} whose command line holds {@code marker}, and waits
   * for the run to end, which it must do with 0; returns its output.
   */
  private static String killOneAndAwait(Process run, String name, String marker) throws Exception {
    List<ProcessHandle> jvms = jvmsRunning(marker);
    assertFalse(jvms.isEmpty(), marker + " runs while the job does:\n" + log(name));
    assertTrue(jvms.get(0).destroyForcibly());
    assertTrue(run.waitFor(240, TimeUnit.SECONDS), log(name));
    String log = log(name);
    assertEquals(0, run.exitValue(), log);
    return log;
  }

  /** The JVMs (not their containers' shells) below this one whose command line holds {@code marker}. */
  private static List<ProcessHandle> jvmsRunning(String marker) {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .filter(p -> cmdline(p).contains(marker)).toList();
  }

  private static String cmdline(ProcessHandle p) {
    return YarnRuns.cmdline(p);
  }

  private static String procFile(ProcessHandle p, String name) {
    return YarnRuns.procFile(p, name);
  }

  /** The run's secret among the YARN credentials of {@code p}'s container, in hex; null if it has none or ended. */
  private static String credentialSecret(ProcessHandle p) {
    return credential(p, "dflow.secret");
  }

  /** The secret key {@code name} among the YARN credentials of {@code p}'s container, in hex; null if none or ended. */
  private static String credential(ProcessHandle p, String name) {
    String tokens = environ(p).get("HADOOP_TOKEN_FILE_LOCATION");
    if (tokens == null) {
      return null;
    }
    try {
      byte[] key = org.apache.hadoop.security.Credentials.readTokenStorageFile(
          new org.apache.hadoop.fs.Path(Path.of(tokens).toUri()), new org.apache.hadoop.conf.Configuration(false))
          .getSecretKey(new org.apache.hadoop.io.Text(name));
      return key == null ? null : java.util.HexFormat.of().formatHex(key);
    } catch (IOException e) {
      return null; // ended meanwhile
    }
  }

  private static Map<String, String> environ(ProcessHandle p) {
    return YarnRuns.environ(p);
  }
}
