package io.dflow.hdfs;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Builds the Hadoop {@link Configuration} dflow talks to file systems with: Hadoop's defaults,
 * then {@code core-site.xml} and {@code hdfs-site.xml} from {@code $HADOOP_CONF_DIR} if that is
 * set, then the job's own Hadoop keys. {@code file://} is served by {@link NioLocalFileSystem}
 * unless the site files or the job name another {@code fs.file.impl}.
 */
public final class HadoopConf {
  private static final String[] SITE_FILES = {"core-site.xml", "hdfs-site.xml"};
  private static final String[] HADOOP_PREFIXES = {"fs.", "dfs.", "hadoop.", "net.topology."};
  private static final Map<String, Configuration> PARSED = new HashMap<>();
  /** Hadoop's key for the class that serves {@code file://}. */
  static final String LOCAL_FS_KEY = "fs.file.impl";

  private HadoopConf() {}

  /**
   * A Configuration for the current environment, with every entry of {@code overrides} whose key
   * starts with {@code fs.}, {@code dfs.} or {@code hadoop.} set on it; other keys are ignored.
   */
  public static Configuration create(Map<String, String> overrides) {
    return create(overrides, System.getenv("HADOOP_CONF_DIR"));
  }

  static Configuration create(Map<String, String> overrides, String hadoopConfDir) {
    Configuration conf = new Configuration(parsed(hadoopConfDir == null ? "" : hadoopConfDir.trim()));
    overrides.forEach((key, value) -> {
      if (isHadoopKey(key) && value != null) {
        conf.set(key, value);
      }
    });
    return conf;
  }

  /**
   * Hadoop's defaults and the site files of {@code hadoopConfDir} ("" for none), parsed once per
   * JVM: a local-mode driver and its executor would otherwise parse the same XML twice, on the
   * first task's path. Copies share nothing mutable; {@code set} on a copy does not re-read XML
   * (adding a resource would, which is why the site files are part of what is cached).
   */
  private static synchronized Configuration parsed(String hadoopConfDir) {
    return PARSED.computeIfAbsent(hadoopConfDir, dir -> {
      Configuration conf = new Configuration();
      if (!dir.isEmpty()) {
        // The site files are only found on the classpath by default; a launcher that sets
        // HADOOP_CONF_DIR expects them to be read without extra classpath plumbing.
        for (String name : SITE_FILES) {
          File site = new File(dir, name);
          if (site.isFile()) {
            conf.addResource(new Path(site.toURI()));
          }
        }
      }
      // The get parses now, under the lock, rather than in every copy.
      if (conf.get(LOCAL_FS_KEY) == null) {
        conf.set(LOCAL_FS_KEY, NioLocalFileSystem.class.getName());
      }
      return conf;
    });
  }

  static boolean isHadoopKey(String key) {
    for (String prefix : HADOOP_PREFIXES) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
