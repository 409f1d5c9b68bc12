package io.dflow.driver.yarn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staging directory on the cluster's file system: jars under {@code cache/<sha256>.jar},
 * uploaded once and reused by every later application while their content is unchanged, and
 * one folder per application for what is its own (its Hadoop settings), removed at its end.
 * Nothing needs to be installed on the cluster's nodes beyond Java.
 */
final class Staging {
  private static final Logger LOG = LoggerFactory.getLogger(Staging.class);
  /**
   * What the driver's Hadoop settings are called in a container's working folder, which is the
   * container's {@code HADOOP_CONF_DIR} ({@link ContainerCommands#ENVIRONMENT}).
   */
  static final String CONF_LINK = "core-site.xml";
  /** A fixed time for the entries of jars made from class folders, so that equal folders make equal jars. */
  private static final long ENTRY_TIME = 315_532_800_000L;

  private final FileSystem fs;
  private final Path root;
  private int uploaded;
  private int reused;

  /** @param stagingDir the root, or blank for {@code .dflow/staging} under the user's home on the default file system */
  Staging(Configuration conf, String stagingDir) throws IOException {
    Path dir = stagingDir == null || stagingDir.isBlank() ? null : new Path(stagingDir.strip());
    this.fs = dir == null ? FileSystem.get(conf) : dir.getFileSystem(conf);
    this.root = fs.makeQualified(dir != null ? dir : new Path(fs.getHomeDirectory(), ".dflow/staging"));
  }

  Path root() {
    return root;
  }

  /** Files uploaded and files found already there, so far. */
  String summary() {
    return uploaded + " uploaded, " + reused + " reused from " + root;
  }

  /**
   * Ships class path {@code entries} (jars as they are, class folders as jars made in
   * {@code scratch}); entries that do not exist are skipped. Returns them in class path order.
   */
  List<ShippedFile> shipClasspath(List<java.nio.file.Path> entries, java.nio.file.Path scratch) throws IOException {
    List<ShippedFile> shipped = new ArrayList<>();
    for (java.nio.file.Path entry : entries) {
      java.nio.file.Path jar;
      if (Files.isDirectory(entry)) {
        jar = jarOf(entry, scratch.resolve("dir-" + shipped.size() + "-" + entry.getFileName() + ".jar"));
      } else if (Files.isRegularFile(entry)) {
        jar = entry;
      } else {
        continue;
      }
      String name = jar.getFileName().toString();
      shipped.add(ship(jar, name.endsWith(".jar") ? name : name + ".jar"));
    }
    return shipped;
  }

  /** Ships one local file under its content hash; its link in containers is {@code <hash prefix>-<name>}. */
  ShippedFile ship(java.nio.file.Path local, String name) throws IOException {
    String sha = sha256(local);
    return ship(local, sha, sha.substring(0, 12) + "-" + name);
  }

  /** Ships a job jar; its link in containers is {@code <sha256>.jar}, where an executor's {@code --jar-dir} looks. */
  ShippedFile shipAsHash(java.nio.file.Path local) throws IOException {
    String sha = sha256(local);
    return ship(local, sha, sha + ".jar");
  }

  private ShippedFile ship(java.nio.file.Path local, String sha, String link) throws IOException {
    Path target = new Path(root, "cache/" + sha + ".jar");
    long size = Files.size(local);
    if (!fs.exists(target) || fs.getFileStatus(target).getLen() != size) {
      Path tmp = new Path(root, "cache/." + sha + "." + UUID.randomUUID() + ".tmp");
      fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
      if (!fs.rename(tmp, target)) { // another application shipped the same file meanwhile
        fs.delete(tmp, false);
      }
      uploaded++;
    } else {
      reused++;
    }
    return ShippedFile.of(link, fs.getFileStatus(target));
  }

  /**
   * Writes the driver's Hadoop settings into the application's own folder for the application
   * master's container: the master reaches the ResourceManager with them, and a driver in that
   * container (cluster mode) reads its file systems with them, as the submitter would have.
   */
  ShippedFile shipConf(Configuration conf, String appId) throws IOException {
    return shipConf(conf, appId, "master-site.xml", CONF_LINK);
  }

  /**
   * Writes the driver's Hadoop settings for executors, as the {@code core-site.xml} of their
   * {@code HADOOP_CONF_DIR} (their container's folder): what the site files of the driver's
   * machine say (a nameservice's NameNodes, say) holds for them too, though nothing is
   * configured on the nodes. A file of its own, so that a later attempt of a driver in the
   * master's container may write it again without changing a file YARN localises for the master.
   */
  ShippedFile shipExecutorConf(Configuration conf, String appId) throws IOException {
    return shipConf(conf, appId, "executor-site.xml", CONF_LINK);
  }

  private ShippedFile shipConf(Configuration conf, String appId, String name, String link) throws IOException {
    Path file = new Path(appFolder(appId), name);
    try (OutputStream out = fs.create(file, true)) {
      conf.writeXml(out);
    }
    return ShippedFile.of(link, fs.getFileStatus(file));
  }

  /** Removes the application's own folder (the shared jars stay for the next application). */
  void cleanUp(String appId) {
    try {
      fs.delete(appFolder(appId), true);
    } catch (IOException e) {
      LOG.warn("cannot remove the staging folder of {}: {}", appId, e.getMessage());
    }
  }

  private Path appFolder(String appId) {
    return new Path(root, appId);
  }

  /** A jar of {@code dir}'s files, entries sorted and dated alike: the same folder gives the same bytes. */
  private static java.nio.file.Path jarOf(java.nio.file.Path dir, java.nio.file.Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<java.nio.file.Path> walk = Files.walk(dir)) {
      for (java.nio.file.Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        JarEntry entry = new JarEntry(dir.relativize(file).toString().replace('\\', '/'));
        entry.setTime(ENTRY_TIME);
        out.putNextEntry(entry);
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  static String sha256(java.nio.file.Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
