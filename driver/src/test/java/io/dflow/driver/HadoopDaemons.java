package io.dflow.driver;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.client.api.YarnClient;

/**
 * A Hadoop cluster of four daemons, each its own JVM as on a real cluster: a NameNode, a
 * DataNode, a ResourceManager and a NodeManager, started with {@code java -cp} on Hadoop's jars
 * and the libraries they need only (taken from the Maven repository, as the mini clusters use
 * them; none of dflow's jars or classes) and a configuration folder written here, which is also
 * the {@code HADOOP_CONF_DIR} of a {@code dflow} process. The NodeManager checks its containers'
 * physical memory as a real one does. {@link #close} stops the daemons and any process they
 * started (their containers).
 */
final class HadoopDaemons implements AutoCloseable {
  private static final String OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED "
      + "--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED";
  private static final long START_SECONDS = 90;
  /** The name clients know the file system by, resolved by their {@code hdfs-site.xml} alone. */
  static final String NAMESERVICE = "dflowns";
  private static final String LOG4J = """
      log4j.rootLogger=INFO,out
      log4j.appender.out=org.apache.log4j.ConsoleAppender
      log4j.appender.out.target=System.err
      log4j.appender.out.layout=org.apache.log4j.PatternLayout
      log4j.appender.out.layout.ConversionPattern=%d{HH:mm:ss,SSS} %p %c{1}: %m%n
      """;

  final Path dir;
  final Path confDir;
  /** The nodes' own settings (the HDFS daemons' too): the NameNode named by its address. */
  private final Path nodeConfDir;
  /** The client settings of this cluster (its {@code core-site.xml}, {@code hdfs-site.xml} and {@code yarn-site.xml}). */
  final Configuration conf;
  /** This cluster's HDFS, once started. */
  FileSystem fs;
  /** The NodeManager's {@code yarn.nodemanager.local-dirs}: containers run in folders below it. */
  final Path nmLocal;
  private final Map<String, Process> daemons = new LinkedHashMap<>();
  /** Every daemon process started, stopped or not. */
  private final List<Process> started = new ArrayList<>();

  private HadoopDaemons(Path dir, Path confDir, Path nodeConfDir, Configuration conf, Path nmLocal) {
    this.dir = dir;
    this.confDir = confDir;
    this.nodeConfDir = nodeConfDir;
    this.conf = conf;
    this.nmLocal = nmLocal;
  }

  /**
   * Writes the configuration under {@code dir}, formats the NameNode and starts the four
   * daemons; returns when the DataNode and the NodeManager have registered. {@code nmMemoryMb}:
   * what the NodeManager offers.
   */
  static HadoopDaemons start(Path dir, int nmMemoryMb) throws Exception {
    Path confDir = Files.createDirectories(dir.resolve("conf"));
    Path hdfsConfDir = Files.createDirectories(dir.resolve("hdfs-conf"));
    Path nmLocal = Files.createDirectories(dir.resolve("nm-local"));
    Files.createDirectories(dir.resolve("nm-logs"));
    String nameNode = "localhost:" + freePort();
    Configuration core = new Configuration(false);
    core.set("fs.defaultFS", "hdfs://" + nameNode);
    core.set("hadoop.tmp.dir", dir.resolve("tmp").toString());
    Configuration hdfs = new Configuration(false);
    hdfs.set("dfs.namenode.name.dir", dir.resolve("name").toUri().toString());
    hdfs.set("dfs.datanode.data.dir", dir.resolve("data").toUri().toString());
    hdfs.set("dfs.replication", "1");
    hdfs.set("dfs.permissions.enabled", "false");
    setAll(hdfs, "localhost:0", "dfs.namenode.http-address", "dfs.namenode.secondary.http-address",
        "dfs.datanode.address", "dfs.datanode.http.address", "dfs.datanode.ipc.address");
    hdfs.set("dfs.namenode.safemode.extension", "0");
    Configuration yarn = new Configuration(false);
    yarn.set("yarn.resourcemanager.hostname", "localhost");
    for (String address : List.of("address", "scheduler.address", "resource-tracker.address")) {
      yarn.set("yarn.resourcemanager." + address, "localhost:" + freePort());
    }
    setAll(yarn, "localhost:0", "yarn.resourcemanager.admin.address", "yarn.resourcemanager.webapp.address",
        "yarn.nodemanager.address", "yarn.nodemanager.webapp.address");
    yarn.set("yarn.nodemanager.localizer.address", "localhost:" + freePort());
    yarn.set("yarn.nodemanager.local-dirs", nmLocal.toString());
    yarn.set("yarn.nodemanager.log-dirs", dir.resolve("nm-logs").toString());
    yarn.set("yarn.nodemanager.resource.memory-mb", String.valueOf(nmMemoryMb));
    yarn.set("yarn.nodemanager.resource.cpu-vcores", "4");
    yarn.set("yarn.scheduler.minimum-allocation-mb", "64");
    yarn.set("yarn.scheduler.maximum-allocation-mb", String.valueOf(nmMemoryMb));
    // as a real NodeManager: it measures its containers' process trees and kills one over its memory
    yarn.set("yarn.nodemanager.pmem-check-enabled", "true");
    yarn.set("yarn.nodemanager.vmem-check-enabled", "false");
    yarn.set("yarn.nodemanager.container-monitor.enabled", "true");
    yarn.set("yarn.nodemanager.container-monitor.interval-ms", "300");
    // left true (its default), the monitor leaves the killing to cgroups, which this NodeManager does not use
    yarn.set("yarn.nodemanager.resource.memory.enforced", "false");
    // the disks of a shared build machine are often fuller than the 90% a NodeManager accepts
    yarn.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100");
    yarn.set("yarn.nodemanager.disk-health-checker.min-free-space-per-disk-mb", "0");
    MiniYarn.QUICK_STOP.forEach(yarn::set);
    yarn.set("yarn.nodemanager.delete.debug-delay-sec", "0");
    yarn.set("yarn.resourcemanager.am.max-attempts", "2");
    Configuration capacity = new Configuration(false);
    MiniYarn.ONE_QUEUE.forEach(capacity::set);
    capacity.set("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");
    write(core, hdfsConfDir.resolve("core-site.xml"));
    write(hdfs, hdfsConfDir.resolve("hdfs-site.xml"));
    // clients (the YARN daemons, which localise from HDFS, this test and dflow) name the file system
    // by a nameservice, as on a cluster with NameNode HA: only the site files say where it is
    core.set("fs.defaultFS", "hdfs://" + NAMESERVICE);
    hdfs.set("dfs.nameservices", NAMESERVICE);
    hdfs.set("dfs.ha.namenodes." + NAMESERVICE, "nn1");
    hdfs.set("dfs.namenode.rpc-address." + NAMESERVICE + ".nn1", nameNode);
    hdfs.set("dfs.client.failover.proxy.provider." + NAMESERVICE,
        "org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider");
    write(core, confDir.resolve("core-site.xml"));
    write(hdfs, confDir.resolve("hdfs-site.xml"));
    write(yarn, confDir.resolve("yarn-site.xml"));
    write(yarn, hdfsConfDir.resolve("yarn-site.xml"));
    write(capacity, confDir.resolve("capacity-scheduler.xml"));
    Files.writeString(hdfsConfDir.resolve("log4j.properties"), LOG4J);
    Files.writeString(confDir.resolve("log4j.properties"), LOG4J);

    HadoopDaemons cluster = new HadoopDaemons(dir, confDir, hdfsConfDir, new Configuration(false), nmLocal);
    for (String site : List.of("core-site.xml", "hdfs-site.xml", "yarn-site.xml")) {
      cluster.conf.addResource(new org.apache.hadoop.fs.Path(confDir.resolve(site).toUri()));
    }
    boolean ok = false;
    try {
      Process format = cluster.daemon("format", hdfsConfDir, "org.apache.hadoop.hdfs.server.namenode.NameNode",
          "-format", "-force", "-nonInteractive");
      if (!format.waitFor(START_SECONDS, TimeUnit.SECONDS) || format.exitValue() != 0) {
        throw new IOException("the NameNode could not be formatted:\n" + cluster.logTail("format"));
      }
      cluster.daemons.remove("format");
      cluster.daemon("namenode", hdfsConfDir, "org.apache.hadoop.hdfs.server.namenode.NameNode");
      cluster.daemon("datanode", hdfsConfDir, "org.apache.hadoop.hdfs.server.datanode.DataNode");
      cluster.daemon("resourcemanager", confDir, "org.apache.hadoop.yarn.server.resourcemanager.ResourceManager");
      cluster.daemon("nodemanager", confDir, "org.apache.hadoop.yarn.server.nodemanager.NodeManager");
      FileSystem fs = FileSystem.newInstance(cluster.conf);
      cluster.fs = fs;
      cluster.await("the DataNode to register", () -> {
        try {
          return ((DistributedFileSystem) fs).getDataNodeStats().length > 0 && !((DistributedFileSystem) fs).isInSafeMode();
        } catch (IOException notYet) {
          return false;
        }
      });
      try (YarnClient client = YarnClient.createYarnClient()) {
        client.init(cluster.conf);
        client.start();
        cluster.await("the NodeManager to register", () -> {
          try {
            return !client.getNodeReports(NodeState.RUNNING).isEmpty();
          } catch (Exception notYet) {
            return false;
          }
        });
      }
      ok = true;
      return cluster;
    } finally {
      if (!ok) {
        cluster.close();
      }
    }
  }

  /** The daemons' class path: Hadoop's jars and their libraries from this JVM's, no dflow jar and no class folder. */
  static String daemonClasspath() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
    String local = System.getProperty("maven.repo.local");
    Path repo = local == null || local.isBlank() ? repository : Path.of(local);
    return String.join(File.pathSeparator, Stream.of(cp.split(File.pathSeparator))
        .filter(e -> e.endsWith(".jar") && Path.of(e).toAbsolutePath().startsWith(repo))
        .filter(e -> !Path.of(e).toAbsolutePath().startsWith(repo.resolve("io/dflow")))
        .filter(e -> Stream.of("org/junit", "org/opentest4j", "org/apiguardian", "org/apache/arrow", "io/netty",
            "org/jline", "info/picocli", "me/tongfei").noneMatch(skip -> Path.of(e).toAbsolutePath().startsWith(repo.resolve(skip))))
        .toList());
  }

  private Process daemon(String name, Path conf, String mainClass, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m"));
    cmd.addAll(List.of(OPENS.split(" ")));
    cmd.addAll(List.of("-Dhadoop.log.dir=" + dir.resolve("logs"), "-Dyarn.log.dir=" + dir.resolve("logs"),
        "-cp", conf + File.pathSeparator + daemonClasspath(), mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("HADOOP_") || k.startsWith("YARN_") || k.equals("CLASSPATH"));
    // each daemon reads its settings from its class path; HADOOP_CONF_DIR is what a NodeManager passes on to
    // containers that set none: this node's own files, which name the NameNode by its address, not the nameservice
    env.put("HADOOP_CONF_DIR", nodeConfDir.toString());
    env.put("JAVA_HOME", System.getProperty("java.home")); // what a NodeManager hands its containers
    Process p = pb.start();
    daemons.put(name, p);
    started.add(p);
    return p;
  }

  private void await(String what, BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (!done.getAsBoolean()) {
      for (Map.Entry<String, Process> d : daemons.entrySet()) {
        if (!d.getValue().isAlive()) {
          throw new IOException("the " + d.getKey() + " ended while waiting for " + what + ":\n" + logTail(d.getKey()));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("waited " + START_SECONDS + " s for " + what + ":\n" + allLogTails());
      }
      Thread.sleep(200);
    }
  }

  /** The end of a daemon's output. */
  String logTail(String name) {
    try {
      String log = Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
      return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  String allLogTails() {
    StringBuilder all = new StringBuilder();
    daemons.keySet().forEach(name -> all.append("--- ").append(name).append(":\n").append(logTail(name)));
    return all.toString();
  }

  /** The daemon processes still running. */
  List<ProcessHandle> liveDaemons() {
    return started.stream().filter(Process::isAlive).map(Process::toHandle).toList();
  }

  /** The processes that are not daemons but run in this cluster's folders: containers, their shells. */
  List<ProcessHandle> containerProcesses() {
    return ProcessHandle.allProcesses().filter(p -> {
      try {
        return Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "cwd")).startsWith(nmLocal);
      } catch (IOException | UnsupportedOperationException | SecurityException e) {
        return false;
      }
    }).toList();
  }

  /**
   * Stops the daemons (the NodeManager first, which stops its containers), then kills whatever
   * they started that is still there.
   */
  @Override
  public void close() throws IOException {
    if (fs != null) {
      fs.close();
    }
    List<ProcessHandle> children = new ArrayList<>();
    daemons.values().forEach(d -> children.addAll(d.descendants().toList()));
    List<String> order = new ArrayList<>(List.of("nodemanager", "resourcemanager", "datanode", "namenode"));
    order.addAll(daemons.keySet());
    for (String name : order) {
      Process d = daemons.remove(name);
      if (d == null) {
        continue;
      }
      d.destroy();
      try {
        if (!d.waitFor(20, TimeUnit.SECONDS)) {
          d.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    children.addAll(containerProcesses());
    for (ProcessHandle p : children) {
      p.destroyForcibly();
    }
  }

  private static void write(Configuration conf, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      conf.writeXml(out);
    }
  }

  private static void setAll(Configuration conf, String value, String... keys) {
    for (String key : keys) {
      conf.set(key, value);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
