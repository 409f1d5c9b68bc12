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
 * the gang, which runs again as one and succeeds; and no process is left after either.
 */
class MpiAcrossHostsTest {
  @TempDir
  Path dir;

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
          jar, new ProgressReporter(System.err, false))) {
        DflowJob job = (DflowJob) jar.loader().loadClass(jobClass).getConstructor().newInstance();
        try {
          job.run(session.newContext(), args);
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

  private static long netInode(long pid) {
    try {
      return Long.parseLong(Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "ns", "net")).toString()
          .replaceAll("\\D", ""));
    } catch (IOException | RuntimeException e) {
      return -1; // gone, or not ours to read
    }
  }
}
