package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.DflowJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MPI gang whose ranks run on two separate hosts with no ssh between them: two network
 * namespaces, each with an executor JVM of its own address, the driver in this namespace.
 * {@code mpirun} starts each host's Open MPI daemon through the executor there; the ranks it
 * starts connect back to the driver's address. The psum's total is checked against a serial
 * sum, each rank's network namespace against the executors'; a rank SIGKILLed on one host fails
 * the gang, which runs again as one and succeeds; and no process is left after either. The
 * executors hold the run's secret as in a YARN container (a token file, not their environment),
 * and while the gang runs the test reads every {@code mpirun}'s command line and every daemon's
 * environment: the secret is never on the former (nor exported to ranks with {@code -x}, which
 * Open MPI would send over its plain TCP), and is in the latter, set by the executor, which is
 * where the ranks on the executors' hosts get it.
 */
class MpiAcrossHostsTest {
  @TempDir
  Path dir;
  /** What the last run's watch saw. */
  private SecretWatch watch;
  /** Both executors' logs at the end of the last run's job. */
  private volatile String executorLogs;

  @Test
  void psumRanksRunInBothNamespacesAndAgreeWithTheSerialSum() throws Exception {
    int n = 40_000;
    long seed = 11;
    long serial = dflowtest.jobs.MpiHostsJob.numbers(n, seed).stream().mapToLong(Long::longValue).sum();
    Path out = dir.resolve("out");
    Map<Long, String> namespaces = new HashMap<>();
    List<NamespaceHosts.Host> hosts = runOnTwoHosts("dflowtest.jobs.MpiHostsJob", namespaces,
        String.valueOf(n), String.valueOf(seed), out.toString());
    long ownNamespace = ((Number) Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino")).longValue();
    Map<Integer, String[]> ranks = new TreeMap<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(part)) {
          String[] f = line.split("\t");
          ranks.put(Integer.parseInt(f[0]), f);
        }
      }
    }
    assertEquals(List.of(0, 1, 2, 3), List.copyOf(ranks.keySet()), "one line per rank");
    long count = 0;
    Map<String, Integer> perNamespace = new TreeMap<>();
    for (String[] f : ranks.values()) {
      assertEquals(serial, Long.parseLong(f[3]), "rank " + f[0] + "'s allReduce total");
      count += Long.parseLong(f[2]);
      long inode = Long.parseLong(f[1].replaceAll("\\D", ""));
      assertTrue(inode != ownNamespace, "rank " + f[0] + " ran in the driver's namespace");
      String ns = namespaces.get(inode);
      assertTrue(ns != null, "rank " + f[0] + " ran in " + f[1] + ", neither executor's namespace " + namespaces);
      perNamespace.merge(ns, 1, Integer::sum);
    }
    assertEquals(n, count, "every number summed once");
    assertEquals(Map.of(hosts.get(0).namespace(), 2, hosts.get(1).namespace(), 2), perNamespace,
        "two ranks on each host");
    assertNothingLeft(namespaces.keySet());
    assertTrue(!watch.mpirunCommands.isEmpty(), "mpirun was seen running");
    for (String cmd : watch.mpirunCommands) {
      for (String secretWord : List.of(watch.secretHex, io.dflow.executor.ExecutorMain.SECRET_ENV,
          io.dflow.executor.ExecutorMain.TLS_ENV)) {
        assertTrue(!cmd.contains(secretWord), "mpirun's command line names " + secretWord + ": " + cmd);
      }
    }
    assertEquals(java.util.Set.copyOf(namespaces.keySet()), watch.ortedNamespacesWithSecret,
        "a daemon ran in each executor's namespace with the run's secret in its environment; daemons without it: "
            + watch.ortedWithoutSecret);
  }

  @Test
  void aRankKilledOnAnotherHostFailsTheGangWhichRunsAgainAsOne() throws Exception {
    Map<Long, String> namespaces = new HashMap<>();
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      runOnTwoHosts("dflowtest.jobs.MpiFailingJob", namespaces, "kill-once", "4", dir.toString());
    } finally {
      System.setOut(stdout);
    }
    assertTrue(Files.exists(dir.resolve("killed")), "rank 1 killed itself on the first attempt");
    assertTrue(printed.toString(java.nio.charset.StandardCharsets.UTF_8).contains("totals [10, 10, 10, 10]"),
        "the second attempt's ranks all summed 1..4: " + printed);
    assertNothingLeft(namespaces.keySet());
  }

  /**
   * While a gang runs, launch requests that are not its daemon's reach the driver's relay as
   * mpirun's agent would send them: a wrong token, a host with no executor of the gang, and,
   * with the gang's own token (read from mpirun's environment, as only a process of the same
   * user could), a shell in place of {@code orted} and an {@code orted} told to join an
   * {@code mpirun} elsewhere. Each is refused with an error saying why (by the driver, or by the
   * executor, which the relay passed it to), the agent exits 126, nothing but the gang's own
   * daemons and ranks runs in the executors' namespaces, and the gang then finishes as usual.
   */
  @Test
  void executorsRefuseLaunchesThatAreNotTheirGangsDaemonAndStartNothing() throws Exception {
    Map<Long, String> namespaces = new HashMap<>();
    Path markers = Files.createDirectories(dir.resolve("markers"));
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    java.util.concurrent.CompletableFuture<List<NamespaceHosts.Host>> job;
    String gang = null;
    try {
      job = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return runOnTwoHosts("dflowtest.jobs.MpiFailingJob", namespaces, "wait-for-go", "4", markers.toString());
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      try {
        for (int i = 0; i < 1_200 && Files.notExists(markers.resolve("running")); i++) {
          if (job.isDone()) {
            job.join(); // says why it ended
          }
          Thread.sleep(50);
        }
        assertTrue(Files.exists(markers.resolve("running")), "the gang started within a minute");
        String script;
        try (Stream<Path> files = Files.walk(dir)) {
          script = Files.readString(files.filter(f -> f.toString().endsWith(".agent")).findFirst().orElseThrow());
        }
        java.util.regex.Matcher agent = java.util.regex.Pattern.compile("DaemonAgent (\\d+) (\\S+) ").matcher(script);
        assertTrue(agent.find(), "the agent script names the relay's port and the gang: " + script);
        String port = agent.group(1);
        gang = agent.group(2);
        long mpirun = ProcessHandle.allProcesses().map(ProcessHandle::pid)
            .filter(pid -> String.valueOf(words(pid, "cmdline")).matches("\\S*mpirun .*")
                && words(pid, "cmdline").contains(dir.toString()))
            .findFirst().orElseThrow();
        String token = java.util.Arrays.stream(words(mpirun, "environ").split(" "))
            .filter(v -> v.startsWith(io.dflow.driver.mpi.DaemonAgent.TOKEN_ENV + "=")).findFirst().orElseThrow()
            .substring(io.dflow.driver.mpi.DaemonAgent.TOKEN_ENV.length() + 1);
        java.util.regex.Matcher hostList = java.util.regex.Pattern.compile("--host (\\S+)")
            .matcher(words(mpirun, "cmdline"));
        assertTrue(hostList.find(), "mpirun is given its hosts");
        String host = hostList.group(1).split(",")[0].split(":")[0];
        String otherToken = "0".repeat(token.length());
        String orted = "orted -mca ess \"env\" -mca orte_hnp_uri \"1.0;tcp://192.0.2.1:4000\"";

        assertRefused(agent(port, gang, otherToken, host, "orted -mca ess env"), "the driver refused the launch: gang "
            + gang + " is not running, or the agent's token is not its own");
        assertRefused(agent(port, gang, token, "192.0.2.7", "orted -mca ess env"),
            "the driver refused the launch: no executor of gang " + gang + " is at host 192.0.2.7");
        assertRefused(agent(port, gang, token, host, "/bin/sh -c \"touch " + markers.resolve("shell") + "\""),
            "refused to start the Open MPI daemon: the program is /bin/sh, not Open MPI's orted");
        assertRefused(agent(port, gang, token, host, orted),
            "refused to start the Open MPI daemon: orte_hnp_uri names 192.0.2.1, which is not the driver's host");
      } finally {
        Files.createFile(markers.resolve("go"));
      }
      job.get(2, java.util.concurrent.TimeUnit.MINUTES);
    } finally {
      System.setOut(stdout);
    }
    assertTrue(printed.toString(java.nio.charset.StandardCharsets.UTF_8).contains("totals [10, 10, 10, 10]"),
        "the gang finished after the refusals: " + printed);
    assertTrue(Files.notExists(markers.resolve("shell")), "the shell never ran");
    for (Map.Entry<Long, String> p : watch.namespaceCommands.entrySet()) {
      String cmd = p.getValue();
      if (cmd.startsWith("orted ")) {
        assertTrue(!cmd.contains("192.0.2.1"), "the refused daemon ran: " + cmd);
      } else if (!cmd.contains("/jspawnhelper ")) {
        assertTrue(cmd.contains(io.dflow.executor.ExecutorMain.class.getName())
            || cmd.contains(io.dflow.executor.mpi.RankMain.class.getName()),
            "only executors, the gang's daemons and its ranks run on the executors' hosts: " + cmd);
      }
    }
    // a daemon lives too briefly for a process watcher to be sure to see it: each executor says it
    String started = "started the Open MPI daemon of gang " + gang + " ";
    for (String log : executorLogs.split("\n----\n")) {
      assertEquals(1, log.split(java.util.regex.Pattern.quote(started), -1).length - 1,
          "one daemon on each host, started by its executor: " + log);
    }
    assertTrue(executorLogs.contains("refused to start an Open MPI daemon for gang " + gang
        + ": the program is /bin/sh"), "the executor logs the refusal: " + executorLogs);
    assertNothingLeft(namespaces.keySet());
  }

  /** Runs mpirun's launch agent as mpirun would, with {@code token}; returns its exit code and output. */
  private static Map.Entry<Integer, String> agent(String port, String gang, String token, String host, String command)
      throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), io.dflow.driver.mpi.DaemonAgent.class.getName(),
        port, gang, host));
    cmd.addAll(List.of(command.split(" ")));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put(io.dflow.driver.mpi.DaemonAgent.TOKEN_ENV, token);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the agent ended");
    return Map.entry(p.exitValue(), out);
  }

  private static void assertRefused(Map.Entry<Integer, String> agent, String why) {
    assertEquals(126, agent.getKey(), "the agent exits as a shell that cannot run a command: " + agent.getValue());
    assertTrue(agent.getValue().contains(why), "the agent says why: " + agent.getValue());
  }

  /**
   * Runs job {@code jobClass} of the test jobs jar with {@code args} on two namespace hosts of an
   * executor each (2 slots), the driver here; fills {@code namespaces} (inode to name) and returns
   * the hosts. A failed job's error comes with the executors' and mpirun's logs.
   */
  private List<NamespaceHosts.Host> runOnTwoHosts(String jobClass, Map<Long, String> namespaces, String... args)
      throws Exception {
    try (NamespaceHosts netns = NamespaceHosts.create(2)) {
      for (NamespaceHosts.Host h : netns.hosts()) {
        namespaces.put(h.netInode(), h.namespace());
      }
      Map<String, String> overrides = new HashMap<>();
      overrides.put(DflowConf.EVENT_LOG_ENABLED, "false");
      overrides.put(DflowConf.LOCAL_DIR, dir.resolve("local").toString());
      overrides.put(DflowConf.MASTER, "local-cluster[2,2]");
      overrides.put("dflow.executor.classpath", TestJars.executorClasspath());
      overrides.put(DflowConf.EXECUTOR_MEMORY, "256m");
      Map<String, String> conf = DflowConf.load(null, overrides);
      NamespaceClusterBackend backend = new NamespaceClusterBackend(netns, 2, conf, dir.resolve("local").resolve("app"));
      JobJar jar = JobJar.open(TestJars.testJobs(dir));
      try (Session session = new Session("app-netns", "netns", conf, Master.parse("local-cluster[2,2]"), backend,
          jar, new ProgressReporter(System.err, false));
          SecretWatch w = new SecretWatch(java.util.HexFormat.of().formatHex(backend.transport().secret()),
              namespaces.keySet())) {
        watch = w;
        DflowJob job = (DflowJob) jar.loader().loadClass(jobClass).getConstructor().newInstance();
        try {
          job.run(session.newContext(), args);
          executorLogs = backend.log(0) + "\n----\n" + backend.log(1);
        } catch (RuntimeException e) {
          throw new AssertionError("the job failed; executor logs:\n" + backend.log(0) + "\n----\n" + backend.log(1)
              + "\nmpirun logs:\n" + backend.mpirunLogs(), e);
        }
      }
      return netns.hosts();
    }
  }

  /**
   * No process of this test is left: none in either namespace (executors, daemons, ranks), none
   * naming the test's folder (mpirun and its launch agents name the agent script there).
   */
  private void assertNothingLeft(java.util.Set<Long> testNamespaces) throws InterruptedException {
    List<String> left = List.of();
    for (int i = 0; i < 100; i++) {
      left = ProcessHandle.allProcesses()
          .filter(p -> testNamespaces.contains(netInode(p.pid()))
              || p.info().commandLine().orElse("").contains(dir.toString()))
          .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
          .toList();
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("processes left running: " + left);
  }

  /**
   * Reads, every few milliseconds while a job runs, the command line of every {@code mpirun} of
   * this test and the environment of every Open MPI daemon in the test's namespaces.
   */
  private final class SecretWatch implements AutoCloseable {
    final String secretHex;
    final java.util.Set<Long> namespaces;
    final List<String> mpirunCommands = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.Set<Long> ortedNamespacesWithSecret = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final List<String> ortedWithoutSecret = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The first command line seen of every process in the test's namespaces, by pid. */
    final Map<Long, String> namespaceCommands = new java.util.concurrent.ConcurrentHashMap<>();
    /** The namespace of each of those processes, by pid. */
    final Map<Long, Long> namespaceOf = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<Long> seen = new java.util.HashSet<>();
    private final java.util.Set<Long> outside = new java.util.HashSet<>();
    private final Thread thread;
    private volatile boolean stop;

    SecretWatch(String secretHex, java.util.Set<Long> namespaces) {
      this.secretHex = secretHex;
      this.namespaces = namespaces;
      thread = new Thread(() -> {
        while (!stop) {
          ProcessHandle.allProcesses().forEach(this::look);
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "secret-watch");
      thread.setDaemon(true);
      thread.start();
    }

    private void look(ProcessHandle p) {
      String cmd = words(p.pid(), "cmdline");
      if (cmd == null || cmd.isEmpty()) {
        return; // gone, or a zombie not yet reaped, whose command line reads empty
      }
      // the JVM's spawn helper execs the daemon: its pid's command is read again until it has
      if (!outside.contains(p.pid()) && !namespaceCommands.getOrDefault(p.pid(), "/jspawnhelper").contains("/jspawnhelper")) {
        return;
      }
      if (!outside.contains(p.pid())) {
        long inode = netInode(p.pid());
        if (namespaces.contains(inode)) {
          namespaceCommands.put(p.pid(), cmd);
          namespaceOf.put(p.pid(), inode);
        } else {
          outside.add(p.pid());
        }
      }
      if (seen.contains(p.pid())) {
        return;
      }
      String program = cmd.split(" ", 2)[0];
      if (program.endsWith("mpirun") && cmd.contains(dir.toString())) {
        seen.add(p.pid());
        mpirunCommands.add(cmd);
      } else if (program.equals("orted") && namespaces.contains(netInode(p.pid()))) {
        String env = words(p.pid(), "environ");
        if (env != null) {
          seen.add(p.pid());
          if ((" " + env + " ").contains(" " + io.dflow.executor.ExecutorMain.SECRET_ENV + "=" + secretHex + " ")) {
            ortedNamespacesWithSecret.add(netInode(p.pid()));
          } else {
            ortedWithoutSecret.add(p.pid() + " " + cmd);
          }
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join();
    }
  }

  /** {@code /proc/<pid>/<file>}'s NUL-separated words joined by spaces, or null when it is gone. */
  private static String words(long pid, String file) {
    try {
      byte[] bytes = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), file));
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long netInode(long pid) {
    try {
      return Long.parseLong(Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "ns", "net")).toString()
          .replaceAll("\\D", ""));
    } catch (IOException | RuntimeException e) {
      return -1; // gone, or not ours to read
    }
  }
}
