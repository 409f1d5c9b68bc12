package io.dflow.driver.yarn;

import io.dflow.hdfs.RackResolver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the container requests still open where the waiting tasks would rather run, as Spark's
 * YARN allocator does on each heartbeat: once a second, while some executor's container has not
 * come, it asks the scheduler how many waiting tasks prefer each host and, when a task set
 * changed that, asks again for each open container with its share of those hosts
 * ({@link ContainerPlacement}) and their racks. The requests stay relaxed, so YARN may still
 * give a container elsewhere; with no waiting task preferring a host they are left as they were.
 *
 * <p>Threading: its own daemon thread; the suppliers and the consumer must be safe to call from it.
 */
final class PlacementUpdates {
  private static final Logger LOG = LoggerFactory.getLogger(PlacementUpdates.class);
  static final long PERIOD_MILLIS = 1000;

  /** Asks again for one executor's container, preferring those hosts and racks. */
  interface Relocation {
    void request(String executor, List<String> hosts, List<String> racks);
  }

  private final Supplier<List<String>> outstanding;
  private final Supplier<Map<String, Integer>> pendingTaskHosts;
  private final RackResolver racks;
  private final Relocation relocation;
  /** The hosts each executor's request last named; only this thread touches it. */
  private final Map<String, List<String>> asked = new HashMap<>();
  private final Thread thread;
  private volatile boolean stopped;
  private boolean warned;

  /**
   * @param outstanding the executors whose containers have not started, oldest first
   * @param pendingTaskHosts how many waiting tasks would rather run on each host
   */
  PlacementUpdates(Supplier<List<String>> outstanding, Supplier<Map<String, Integer>> pendingTaskHosts,
      RackResolver racks, Relocation relocation) {
    this.outstanding = outstanding;
    this.pendingTaskHosts = pendingTaskHosts;
    this.racks = racks;
    this.relocation = relocation;
    this.thread = new Thread(this::run, "dflow-yarn-placement");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() {
    stopped = true;
    thread.interrupt();
  }

  /** Records that {@code executor}'s request was made with {@code hosts} elsewhere (a replacement's). */
  void askedFor(String executor, List<String> hosts) {
    synchronized (asked) {
      asked.put(executor, hosts);
    }
  }

  private void run() {
    while (!stopped) {
      try {
        Thread.sleep(PERIOD_MILLIS);
        update();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!stopped && !warned) {
          warned = true; // once: the scheduler may have stopped just before the backend closes
          LOG.warn("cannot update the container requests: {}", e.toString());
        }
      }
    }
  }

  private void update() {
    List<String> open = outstanding.get();
    if (open.isEmpty()) {
      return;
    }
    Map<String, Integer> counts = pendingTaskHosts.get();
    if (counts.isEmpty()) {
      return;
    }
    List<List<String>> placed = ContainerPlacement.hosts(counts, open.size());
    for (int i = 0; i < open.size(); i++) {
      List<String> hosts = placed.get(i);
      synchronized (asked) {
        if (hosts.equals(asked.get(open.get(i)))) {
          continue;
        }
        asked.put(open.get(i), hosts);
      }
      relocation.request(open.get(i), hosts, hosts.stream().map(racks::rackOf).distinct().toList());
    }
  }
}
