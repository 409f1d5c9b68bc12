package io.dflow.driver.yarn;

import io.dflow.hdfs.HadoopConf;
import java.io.File;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * The YARN settings of the cluster a {@code --master yarn} application runs on: the file system
 * settings of {@link HadoopConf}, then {@code yarn-site.xml} from {@code $YARN_CONF_DIR} or else
 * {@code $HADOOP_CONF_DIR}, then the job's own {@code yarn.} keys.
 */
final class YarnConf {
  private YarnConf() {}

  static YarnConfiguration create(Map<String, String> dflowConf) {
    return create(dflowConf, null);
  }

  /**
   * @param shipped the settings the submitter shipped into this container, read before the site files (null: none)
   * @throws IllegalArgumentException when nothing says where the ResourceManager is (the client
   *     would otherwise retry {@code 0.0.0.0:8032} for minutes)
   */
  static YarnConfiguration create(Map<String, String> dflowConf, File shipped) {
    YarnConfiguration conf = new YarnConfiguration(HadoopConf.create(dflowConf));
    boolean found = dflowConf.containsKey(YarnConfiguration.RM_ADDRESS);
    if (shipped != null && shipped.isFile()) {
      conf.addResource(new Path(shipped.toURI()));
      found = true;
    }
    for (String env : new String[] {"YARN_CONF_DIR", "HADOOP_CONF_DIR"}) {
      String dir = System.getenv(env);
      File site = dir == null || dir.isBlank() ? null : new File(dir.trim(), "yarn-site.xml");
      if (site != null && site.isFile()) {
        conf.addResource(new Path(site.toURI()));
        found = true;
        break;
      }
    }
    if (!found) {
      throw new IllegalArgumentException("--master yarn needs the cluster's settings: no yarn-site.xml in "
          + "$YARN_CONF_DIR or $HADOOP_CONF_DIR (" + envValue("YARN_CONF_DIR") + ", " + envValue("HADOOP_CONF_DIR")
          + "), and no --conf " + YarnConfiguration.RM_ADDRESS + "=host:port");
    }
    dflowConf.forEach((key, value) -> {
      if (key.startsWith("yarn.") && value != null) {
        conf.set(key, value);
      }
    });
    return conf;
  }

  private static String envValue(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? name + " is not set" : name + "=" + v;
  }
}
