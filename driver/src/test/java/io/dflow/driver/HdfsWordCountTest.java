package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WordCount reading from and writing to a real (mini) HDFS, on local[2] and on local-cluster[2,1]. */
class HdfsWordCountTest {
  private static final int BLOCK = 1 << 20;
  private static MiniDFSCluster cluster;
  private static FileSystem fs;
  private static Map<String, Long> expected;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startCluster() throws IOException {
    Configuration conf = new Configuration();
    File base = new File("target/minidfs-" + UUID.randomUUID()).getAbsoluteFile();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    conf.setLong("dfs.blocksize", BLOCK);
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(2).hosts(new String[] {"host-a", "host-b"}).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
    Path local = dir.resolve("corpus.txt");
    Corpus.write(local, 3 * BLOCK + 12345, 11);
    expected = Corpus.count(Files.readString(local));
    fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path("/in/corpus.txt"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Test
  void wordCountOnHdfsLocal() throws IOException {
    assertWordCount("local[2]", "/out/local");
  }

  @Test
  void wordCountOnHdfsLocalCluster() throws IOException {
    assertWordCount("local-cluster[2,1]", "/out/cluster");
  }

  private void assertWordCount(String master, String out) throws IOException {
    String uri = cluster.getURI().toString();
    CliRun run = CliRun.of("run", "--master", master, "--class", "io.dflow.examples.WordCount",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        TestJars.examples().toString(), uri + "/in/corpus.txt", uri + out);
    assertEquals(0, run.exit(), run.err());
    // 1 MiB blocks and the default 128 MiB split limit: whole blocks are packed into one split.
    assertTrue(run.lastErrLine().contains("(1 job, 2 stages, "), run.lastErrLine());
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS")));
    List<String> lines = new ArrayList<>();
    for (FileStatus part : fs.listStatus(new org.apache.hadoop.fs.Path(out))) {
      if (part.getPath().getName().startsWith("part-")) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(part.getPath()), StandardCharsets.UTF_8))) {
          r.lines().forEach(lines::add);
        }
      }
    }
    assertEquals(expected, Corpus.parseCounts(lines));
  }
}
