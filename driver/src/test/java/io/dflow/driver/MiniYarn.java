package io.dflow.driver;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A real (mini) YARN cluster on an HDFS: one ResourceManager, NodeManagers and a DataNode in
 * this JVM, small enough for a 2-core machine, and a {@code HADOOP_CONF_DIR} that points a
 * {@code dflow} process at them. Containers run as processes of this machine.
 */
final class MiniYarn implements AutoCloseable {
  /** A NodeManager that stops in seconds instead of tens of seconds (its containers' logs kept a second). */
  static final Map<String, String> QUICK_STOP = Map.of("yarn.nodemanager.log.retain-seconds", "1",
      "yarn.nodemanager.sleep-delay-before-sigkill.ms", "100", "yarn.nodemanager.process-kill-wait.ms", "100");
  /** The capacity scheduler with one queue, {@code default}, that has the whole cluster. */
  static final Map<String, String> ONE_QUEUE = Map.of("yarn.scheduler.capacity.root.queues", "default",
      "yarn.scheduler.capacity.root.default.capacity", "100");
  final MiniDFSCluster dfs;
  final MiniYARNCluster yarn;
  final FileSystem fs;
  /** {@code core-site.xml} and {@code yarn-site.xml} of this cluster. */
  final Path confDir;

  private MiniYarn(MiniDFSCluster dfs, MiniYARNCluster yarn, Path confDir) throws IOException {
    this.dfs = dfs;
    this.yarn = yarn;
    this.fs = dfs.getFileSystem();
    this.confDir = confDir;
  }

  static MiniYarn start(String name, int nodeManagers, Path dir) throws IOException {
    Configuration dfsConf = new Configuration();
    dfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR,
        new File("target/minidfs-" + UUID.randomUUID()).getAbsolutePath());
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(dfsConf).numDataNodes(1).build();
    dfs.waitActive();
    YarnConfiguration conf = new YarnConfiguration();
    conf.setInt(YarnConfiguration.NM_PMEM_MB, 3072);
    conf.setInt(YarnConfiguration.NM_VCORES, 4);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 64);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    ONE_QUEUE.forEach(conf::set);
    QUICK_STOP.forEach(conf::set);
    conf.set("fs.defaultFS", dfs.getURI().toString());
    MiniYARNCluster yarn = new MiniYARNCluster(name, nodeManagers, 1, 1);
    yarn.init(conf);
    yarn.start();
    Path confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
    Configuration site = new Configuration(false);
    site.set("fs.defaultFS", dfs.getURI().toString());
    write(site, confDir.resolve("core-site.xml"));
    write(yarn.getConfig(), confDir.resolve("yarn-site.xml"));
    return new MiniYarn(dfs, yarn, confDir);
  }

  private static void write(Configuration conf, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      conf.writeXml(out);
    }
  }

  @Override
  public void close() {
    yarn.stop();
    dfs.shutdown(true);
  }
}
