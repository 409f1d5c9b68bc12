package io.dflow.driver.yarn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the containers still asked for should be, from how many waiting tasks would rather run on
 * each host (as Spark's YARN allocator places its requests): the containers are shared out among
 * the hosts in proportion to their tasks, each container preferring the host whose share is
 * least met so far, then the next ones, at most {@value #HOSTS_PER_REQUEST} in all. The requests
 * stay relaxed: YARN may still give a container elsewhere. Pure: no state, no YARN.
 */
final class ContainerPlacement {
  /** Hosts named by one request: a few, so that YARN can meet it soon on one of them. */
  static final int HOSTS_PER_REQUEST = 3;

  private ContainerPlacement() {}

  /**
   * The preferred hosts of each of {@code containers} requests, best first; empty lists when no
   * task prefers any host.
   */
  static List<List<String>> hosts(Map<String, Integer> tasksPerHost, int containers) {
    long total = tasksPerHost.values().stream().mapToLong(Integer::longValue).sum();
    List<List<String>> placed = new ArrayList<>(containers);
    // a host's share of the containers not yet met, times the total of tasks (whole numbers: ties stay ties)
    Map<String, Long> unmet = new HashMap<>();
    tasksPerHost.forEach((host, tasks) -> unmet.put(host, (long) tasks * containers));
    Comparator<String> neediest = Comparator.<String>comparingLong(unmet::get).reversed()
        .thenComparing(Comparator.<String>comparingInt(tasksPerHost::get).reversed())
        .thenComparing(Comparator.naturalOrder());
    for (int i = 0; i < containers; i++) {
      if (total == 0) {
        placed.add(List.of());
        continue;
      }
      List<String> ranked = unmet.keySet().stream().sorted(neediest).limit(HOSTS_PER_REQUEST).toList();
      unmet.merge(ranked.get(0), -total, Long::sum);
      placed.add(ranked);
    }
    return placed;
  }
}
