package io.dflow.hdfs;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.net.DNSToSwitchMapping;
import org.apache.hadoop.net.NetworkTopology;
import org.apache.hadoop.net.ScriptBasedMapping;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * The rack of a host, as the cluster's Hadoop topology settings say: the mapping named by
 * {@code net.topology.node.switch.mapping.impl} (a script by default,
 * {@code net.topology.script.file.name}; or {@code org.apache.hadoop.net.TableMapping} with
 * {@code net.topology.table.file.name}). The same mapping places datanodes and executors, so
 * their racks compare. With nothing configured every host is in {@code /default-rack}.
 *
 * <p>Threading: safe for any thread; each host is resolved once.
 */
public final class RackResolver {
  private final DNSToSwitchMapping mapping;
  private final Map<String, String> racks = new ConcurrentHashMap<>();

  public RackResolver(Configuration conf) {
    Class<? extends DNSToSwitchMapping> type = conf.getClass(
        CommonConfigurationKeysPublic.NET_TOPOLOGY_NODE_SWITCH_MAPPING_IMPL_KEY, ScriptBasedMapping.class,
        DNSToSwitchMapping.class);
    this.mapping = ReflectionUtils.newInstance(type, conf);
  }

  public String rackOf(String host) {
    return racks.computeIfAbsent(host, h -> {
      List<String> resolved = mapping.resolve(List.of(h));
      String rack = resolved == null || resolved.isEmpty() ? null : resolved.get(0);
      return rack == null || rack.isBlank() ? NetworkTopology.DEFAULT_RACK : rack;
    });
  }
}
