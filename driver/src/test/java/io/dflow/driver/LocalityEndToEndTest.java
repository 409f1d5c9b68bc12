package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Map tasks placed near their blocks on a real (mini) HDFS whose three datanodes have host
 * names of their own in two racks (host-a and host-b in /r1, host-c in /r2), with
 * {@code local-cluster} executors that declare those host names: with an executor on every
 * datanode's host every map task runs node-local; with one executor on host-a only, the blocks
 * of host-b run rack-local and those of host-c anywhere, in the shares the namenode's block
 * locations predict.
 */
class LocalityEndToEndTest {
  private static final int BLOCK = 1 << 20;
  private static final Pattern LOCALITY = Pattern.compile(
      "stage 0 \\(textFile.*?\\): (\\d+)/\\d+ tasks done in [\\d.]+ s \\(([^;]*);");
  private static MiniDFSCluster cluster;
  private static String input;
  private static Path topology;
  /** The input's 24 blocks, one per split, by the host of their one replica. */
  private static final Map<String, Integer> blocksOn = new HashMap<>();

  @TempDir
  static Path dir;

  @BeforeAll
  static void startCluster() throws IOException {
    Configuration conf = new Configuration();
    File base = new File("target/minidfs-" + UUID.randomUUID()).getAbsoluteFile();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    conf.setLong("dfs.blocksize", BLOCK);
    conf.setInt("dfs.replication", 1);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(3).hosts(new String[] {"host-a", "host-b", "host-c"})
        .racks(new String[] {"/r1", "/r1", "/r2"}).build();
    cluster.waitActive();
    FileSystem fs = cluster.getFileSystem();
    Path local = dir.resolve("corpus.txt");
    Corpus.write(local, 24L * BLOCK, 5);
    try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(local,
        java.nio.file.StandardOpenOption.WRITE)) {
      file.truncate(24L * BLOCK); // exactly 24 blocks: one split each
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path("/in/corpus.txt");
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), path);
    FileStatus status = fs.getFileStatus(path);
    for (BlockLocation block : fs.getFileBlockLocations(status, 0, status.getLen())) {
      blocksOn.merge(block.getHosts()[0], 1, Integer::sum);
    }
    input = cluster.getURI() + "/in/corpus.txt";
    topology = Files.writeString(dir.resolve("topology.txt"), "host-a /r1\nhost-b /r1\nhost-c /r2\n");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  private static CliRun count(String master, String hosts, String wait, String out) {
    CliRun run = CliRun.of("run", "--master", master, "--class", "io.dflow.examples.WordCount",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        "--conf", "dflow.executor.hosts=" + hosts, "--conf", "dflow.input.maxSplitBytes=" + BLOCK,
        "--conf", "dflow.locality.wait=" + wait,
        "--conf", "net.topology.node.switch.mapping.impl=org.apache.hadoop.net.TableMapping",
        "--conf", "net.topology.table.file.name=" + topology,
        TestJars.examples().toString(), input, cluster.getURI() + out);
    assertEquals(0, run.exit(), run.err());
    return run;
  }

  /** The share of each locality level in the map stage's line: {@code node-local 97%, rack-local 3%}. */
  private static Map<String, Integer> shares(CliRun run) {
    Matcher m = LOCALITY.matcher(run.err());
    assertTrue(m.find(), run.err());
    assertEquals(24, Integer.parseInt(m.group(1)), "one map task per block");
    Map<String, Integer> out = new HashMap<>();
    for (String part : m.group(2).split(", ")) {
      int space = part.lastIndexOf(' ');
      out.put(part.substring(0, space), Integer.parseInt(part.substring(space + 1, part.length() - 1)));
    }
    return out;
  }

  @Test
  void withAnExecutorOnEveryDatanodeEveryMapTaskRunsNodeLocal() {
    assertEquals(3, blocksOn.size(), "the namenode spread the blocks over all three datanodes: " + blocksOn);
    // a long wait: the namenode spreads the blocks unevenly, and on a loaded machine, where a task
    // takes seconds, a host done with its own blocks would rightly take another host's rather
    // than wait for a slot there that could not start them all within a short wait
    Map<String, Integer> shares = shares(count("local-cluster[3,1]", "host-a,host-b,host-c", "60000", "/out/all"));
    assertEquals(Map.of("node-local", 100), shares);
  }

  @Test
  void withOneExecutorTheOtherBlocksRunRackLocalThenAnywhere() {
    Map<String, Integer> shares = shares(count("local-cluster[1,1]", "host-a", "100", "/out/one"));
    Map<String, Integer> expected = new HashMap<>();
    expected.put("node-local", (int) Math.round(100.0 * blocksOn.getOrDefault("host-a", 0) / 24));
    expected.put("rack-local", (int) Math.round(100.0 * blocksOn.getOrDefault("host-b", 0) / 24));
    expected.put("any", (int) Math.round(100.0 * blocksOn.getOrDefault("host-c", 0) / 24));
    expected.values().removeIf(v -> v == 0);
    assertEquals(expected, shares, "blocks by host " + blocksOn);
  }
}
