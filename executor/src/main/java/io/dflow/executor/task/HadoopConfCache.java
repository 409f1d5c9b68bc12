package io.dflow.executor.task;

import io.dflow.hdfs.HadoopConf;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;

/** One Hadoop {@link Configuration} per distinct job configuration: building one parses XML. */
final class HadoopConfCache {
  private final Map<Map<String, String>, Configuration> confs = new ConcurrentHashMap<>();

  Configuration get(Map<String, String> jobConf) {
    return confs.computeIfAbsent(jobConf, HadoopConf::create);
  }
}
