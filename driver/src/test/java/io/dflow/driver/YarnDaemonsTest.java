package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --master yarn} on a cluster of separate daemons ({@link HadoopDaemons}: NameNode,
 * DataNode, ResourceManager and NodeManager, each its own JVM on Hadoop's jars only), shared by
 * the tests of this class. {@code dflow} runs as {@code bin/dflow} runs it, on the driver's
 * runtime class path alone, so its containers have nothing but what dflow ships: WordCount in
 * client and cluster mode against an independent count, a failing job's error and exit code,
 * and a container the NodeManager kills for its memory, reported as such while the job
 * recovers. At the end no daemon and no container is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnDaemonsTest {
  @TempDir
  static Path dir;
  static HadoopDaemons cluster;
  static Map<String, Long> expected;
  static String input;

  @BeforeAll
  static void start() throws Exception {
    cluster = HadoopDaemons.start(dir.resolve("cluster"), 3072);
    input = "/in/corpus.txt";
    expected = YarnRuns.corpusOn(cluster.fs, dir, 3_000_000, 41, input);
  }

  @AfterAll
  static void stop() throws IOException {
    if (cluster == null) {
      return;
    }
    cluster.close();
    assertEquals(List.of(), cluster.liveDaemons(), "every daemon stopped");
    assertEquals(List.of(), cluster.containerProcesses().stream().map(p -> p.info().commandLine().orElse("?")).toList(),
        "no container outlives the cluster");
  }

  @Test
  @Order(1)
  void wordCountInClientModeRunsOnNothingButWhatDflowShips() throws Exception {
    Set<String> containerCommands = new HashSet<>();
    Process driver = dflow("client", TestJars.examples(), "io.dflow.examples.WordCount", List.of(), input, "/out/client");
    while (driver.isAlive()) {
      cluster.containerProcesses().forEach(p -> containerCommands.add(YarnRuns.cmdline(p)));
      Thread.sleep(100);
    }
    String log = log("client");
    assertEquals(0, driver.exitValue(), log);
    assertEquals(expected, counts("/out/client"), log);
    assertFalse(shippedJars().isEmpty(), "dflow's jars and the job jar are in the staging folder");
    List<String> executors = containerCommands.stream().filter(c -> c.contains("io.dflow.executor.ExecutorMain")).toList();
    assertFalse(executors.isEmpty(), "executors ran in the NodeManager's containers: " + containerCommands);
    for (String cmd : containerCommands) {
      if (cmd.contains(" -cp ")) {
        String classpath = cmd.substring(cmd.indexOf(" -cp ") + 5).split(" ")[0];
        for (String entry : classpath.split(":")) {
          assertFalse(entry.startsWith("/") || entry.contains(".."), "a container reads " + entry + " from outside: " + cmd);
        }
      }
    }
  }

  @Test
  @Order(2)
  void wordCountInClusterModeRunsItsDriverInTheMastersContainer() throws Exception {
    Map<String, Long> shipped = shippedJars();
    Process submitter = dflow("cluster", TestJars.examples(), "io.dflow.examples.WordCount",
        List.of("--deploy-mode", "cluster", "--conf", "dflow.yarn.am.memory=256m"), input, "/out/cluster");
    assertTrue(submitter.waitFor(240, TimeUnit.SECONDS), log("cluster"));
    String log = log("cluster");
    assertEquals(0, submitter.exitValue(), log);
    assertEquals(expected, counts("/out/cluster"), log);
    assertTrue(log.contains(" is RUNNING (master on "), log);
    assertTrue(log.strip().endsWith("succeeded (FINISHED, SUCCEEDED)"), log);
    assertEquals(shipped, shippedJars(), "the jars the first application shipped are reused, none added:\n" + log);
  }

  @Test
  @Order(3)
  void aFailingJobExitsNonZeroWithItsTasksErrorNamingTheContainer() throws Exception {
    try (var w = cluster.fs.create(new org.apache.hadoop.fs.Path("/in/poisoned.txt"))) {
      w.write("a\npoison\nb\n".getBytes(StandardCharsets.UTF_8));
    }
    Process driver = dflow("failing", TestJars.testJobs(dir), "dflowtest.jobs.FailingMapJob",
        List.of("--conf", "dflow.task.maxAttempts=2"), "/in/poisoned.txt", "/out/failing");
    assertTrue(driver.waitFor(240, TimeUnit.SECONDS), log("failing"));
    String log = log("failing");
    assertEquals(1, driver.exitValue(), log);
    assertTrue(log.lines().anyMatch(l -> l.matches("error: task failed: .* \\(attempt 2 of 2\\) on executor exec-\\d+ "
        + "\\(container_\\d+_\\d+_01_\\d+ on [^ :]+:\\d+\\): .*poisoned record.*")), log);
  }

  @Test
  @Order(4)
  void aContainerKilledForItsMemoryIsReportedSoAndTheJobRecovers() throws Exception {
    Path marker = Files.createDirectories(dir.resolve("hog-marker"));
    // the container is 256 MiB of heap and 192 MiB beyond: the task takes 1 GiB more outside the heap
    Process driver = dflow("hog", TestJars.testJobs(dir), "dflowtest.jobs.MemoryHogOnceJob", List.of(),
        marker.toString(), "1024", "/out/hog");
    assertTrue(driver.waitFor(240, TimeUnit.SECONDS), log("hog"));
    String log = log("hog");
    assertEquals(0, driver.exitValue(), log);
    assertTrue(Files.exists(marker.resolve("hogged")), "the first attempt took the memory");
    assertEquals(List.of("10", "20", "30", "40"), lines("/out/hog"), log);
    assertTrue(log.matches("(?s).*executor exec-\\d+ lost[^\\n]*: its connection closed; its container container_\\S+ on "
        + "\\S+ was killed by YARN: over its physical memory limit \\(exit status -104\\); YARN says: .*"
        + "beyond the 'PHYSICAL' memory limit.*"), log + "\nthe NodeManager's log:\n" + cluster.logTail("nodemanager"));
    assertFalse(log.contains("YARN did not kill this container"), log);
  }

  /**
   * {@code dflow run --master yarn} in its own process as {@code bin/dflow} starts it: the
   * driver's runtime class path and {@code conf/}, pointed at the cluster by {@code HADOOP_CONF_DIR}.
   */
  private static Process dflow(String name, Path jar, String className, List<String> more, String... args)
      throws IOException {
    Path home = Path.of("..").toAbsolutePath().normalize();
    String classpath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
        + Files.readString(Path.of("target", "runtime-classpath.txt")).strip() + File.pathSeparator + home.resolve("conf");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Ddflow.home=" + home, "-cp", classpath, "io.dflow.driver.cli.DflowCli", "run", "--master", "yarn",
        "--name", name, "--class", className, "--num-executors", "2", "--executor-memory", "256m",
        "--conf", "dflow.executor.memoryOverhead=192m", "--conf", "dflow.yarn.am.memory=128m",
        "--conf", "dflow.eventLog.enabled=false", "--conf", "dflow.local.dir=" + dir.resolve("local-" + name)));
    cmd.addAll(more);
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().remove("CLASSPATH");
    pb.environment().put("HADOOP_CONF_DIR", cluster.confDir.toString());
    return pb.start();
  }

  /** The staging folder's shipped files (in the user's home on HDFS) and their modification times. */
  private static Map<String, Long> shippedJars() throws IOException {
    Map<String, Long> jars = new java.util.TreeMap<>();
    org.apache.hadoop.fs.Path cache = new org.apache.hadoop.fs.Path(cluster.fs.getHomeDirectory(), ".dflow/staging/cache");
    if (cluster.fs.exists(cache)) {
      for (FileStatus f : cluster.fs.listStatus(cache)) {
        jars.put(f.getPath().getName(), f.getModificationTime());
      }
    }
    return jars;
  }

  private static String log(String name) throws IOException {
    return YarnRuns.log(dir, name);
  }

  private static List<String> lines(String out) throws IOException {
    return YarnRuns.partLines(cluster.fs, out);
  }

  private static Map<String, Long> counts(String out) throws IOException {
    return Corpus.parseCounts(lines(out));
  }
}
