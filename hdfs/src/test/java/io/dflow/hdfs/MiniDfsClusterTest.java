package io.dflow.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.InputFile;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Listing, reading and committing on a real (in-process) HDFS with four named datanodes. */
class MiniDfsClusterTest {
  private static final int BLOCK = 1 << 20;
  private static final Set<String> HOSTS = Set.of("host-a", "host-b", "host-c", "host-d");

  private static MiniDFSCluster cluster;
  private static Configuration conf;
  private static FileSystem fs;

  @BeforeAll
  static void startCluster() throws IOException {
    Configuration clusterConf = new Configuration();
    File base = new File("target/minidfs-" + UUID.randomUUID()).getAbsoluteFile();
    clusterConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    clusterConf.setLong("dfs.blocksize", BLOCK);
    clusterConf.setInt("dfs.replication", 2);
    cluster = new MiniDFSCluster.Builder(clusterConf)
        .numDataNodes(HOSTS.size())
        .hosts(HOSTS.stream().sorted().toArray(String[]::new))
        .build();
    cluster.waitActive();
    // What an executor would build from the job's settings: the cluster as default file system.
    conf = HadoopConf.create(Map.of(
        "fs.defaultFS", cluster.getURI().toString(),
        "dfs.blocksize", String.valueOf(BLOCK),
        "dfs.replication", "2"));
    fs = FileSystem.get(conf);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Test
  void listsEveryBlockWithTheDatanodesHoldingIt() throws IOException {
    byte[] big = text(new Random(1), 3 * BLOCK + BLOCK / 2);
    write("/in/data/big.txt", big);
    write("/in/data/sub/small.txt", "one line\n".getBytes(StandardCharsets.UTF_8));
    write("/in/data/_SUCCESS", new byte[0]);

    List<InputFile> files = new InputLister(conf).list("/in/data");

    assertEquals(List.of(cluster.getURI() + "/in/data/big.txt", cluster.getURI() + "/in/data/sub/small.txt"),
        files.stream().map(InputFile::path).toList());
    InputFile file = files.get(0);
    assertEquals(big.length, file.length());
    assertEquals(4, file.blocks().size());
    for (int i = 0; i < 4; i++) {
      InputFile.BlockInfo block = file.blocks().get(i);
      assertEquals((long) i * BLOCK, block.offset());
      assertEquals(Math.min(BLOCK, big.length - (long) i * BLOCK), block.length());
      assertEquals(2, block.hosts().size(), block.toString());
      assertTrue(HOSTS.containsAll(block.hosts()), block.toString());
    }
    assertEquals(1, files.get(1).blocks().size());
  }

  @Test
  void aMissingHdfsPathIsNamedFullyQualified() {
    FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> new InputLister(conf).list("/no/such"));
    assertEquals("Input path does not exist: " + cluster.getURI() + "/no/such", e.getMessage());
  }

  @Test
  void splitsCutAtBlocksAndAtRandomReadEveryLineOnce() throws IOException {
    Random random = new Random(2);
    byte[] bytes = text(random, 2 * BLOCK + 12345);
    write("/in/read/lines.txt", bytes);
    InputFile file = new InputLister(conf).list("/in/read/lines.txt").get(0);
    List<String> expected = LineReference.lines(new String(bytes, StandardCharsets.UTF_8));
    List<Long> cuts = new ArrayList<>(List.of(0L, (long) BLOCK, 2L * BLOCK));
    for (int i = 0; i < 5; i++) {
      cuts.add((long) random.nextInt(bytes.length));
    }
    cuts.add((long) bytes.length);
    List<Long> bounds = cuts.stream().distinct().sorted().toList();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i + 1 < bounds.size(); i++) {
      FileSplit.Segment segment = new FileSplit.Segment(file.path(), bounds.get(i), bounds.get(i + 1) - bounds.get(i));
      try (TextSplitReader<String> reader = TextSplitReader.text(new FileSplit(List.of(segment), List.of()), conf)) {
        reader.forEachRemaining(lines::add);
      }
    }
    assertEquals(expected, lines);
  }

  @Test
  void committerScenariosHoldOnHdfs() throws Exception {
    fs.mkdirs(new Path("/out"));
    CommitterScenarios scenarios = new CommitterScenarios(conf, "/out");
    scenarios.successPublishesEveryPartitionThenSuccess();
    scenarios.abortLeavesNothing();
    scenarios.anAbortWhileTasksStillRunLeavesNothingTheyCanBringBack();
    scenarios.failedCommitOfAMissingPartitionThenAbortLeavesNothing();
    scenarios.existingOutputIsRefusedUnlessOverwrite();
    scenarios.aSecondAttemptOfACommittedPartitionIsDiscarded();
    scenarios.anAttemptDeniedTheCommitLeavesNothingAndTheHolderCommits();
    scenarios.racingAttemptsCommitExactlyOnce();
    scenarios.aWriterClosedWithoutCommitLeavesNothing();
    scenarios.aJobWritingAPathKeepsOthersOffIt();
    scenarios.jobsStartedTogetherOnOnePathLetExactlyOneIn();
    scenarios.aStaleClaimOfADeadProcessIsCleanedUp();
  }

  private static void write(String path, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(new Path(path), true)) {
      out.write(bytes);
    }
  }

  /** About {@code size} bytes of lines with mixed terminators and multibyte characters. */
  private static byte[] text(Random random, int size) {
    String[] words = {"alpha", "é", "漢字", "😀", "x", ""};
    String[] ends = {"\n", "\r\n", "\r"};
    StringBuilder text = new StringBuilder();
    while (text.length() < size * 3 / 4) {
      int count = random.nextInt(12);
      for (int i = 0; i < count; i++) {
        text.append(words[random.nextInt(words.length)]).append(' ');
      }
      text.append(ends[random.nextInt(ends.length)]);
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
