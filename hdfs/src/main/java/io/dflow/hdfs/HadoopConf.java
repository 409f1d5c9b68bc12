package io.dflow.hdfs;

import java.io.File;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Builds the Hadoop {@link Configuration} dflow talks to file systems with: Hadoop's defaults,
 * then {@code core-site.xml} and {@code hdfs-site.xml} from {@code $HADOOP_CONF_DIR} if that is
 * set, then the job's own Hadoop keys.
 */
public final class HadoopConf {
  private static final String[] SITE_FILES = {"core-site.xml", "hdfs-site.xml"};
  private static final String[] HADOOP_PREFIXES = {"fs.", "dfs.", "hadoop."};

  private HadoopConf() {}

  /**
   * A Configuration for the current environment, with every entry of {@code overrides} whose key
   * starts with {@code fs.}, {@code dfs.} or {@code hadoop.} set on it; other keys are ignored.
   */
  public static Configuration create(Map<String, String> overrides) {
    return create(overrides, System.getenv("HADOOP_CONF_DIR"));
  }

  static Configuration create(Map<String, String> overrides, String hadoopConfDir) {
    Configuration conf = new Configuration();
    if (hadoopConfDir != null && !hadoopConfDir.isBlank()) {
      // The site files are only found on the classpath by default; a launcher that sets
      // HADOOP_CONF_DIR expects them to be read without extra classpath plumbing.
      for (String name : SITE_FILES) {
        File site = new File(hadoopConfDir, name);
        if (site.isFile()) {
          conf.addResource(new Path(site.toURI()));
        }
      }
    }
    overrides.forEach((key, value) -> {
      if (isHadoopKey(key) && value != null) {
        conf.set(key, value);
      }
    });
    return conf;
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
