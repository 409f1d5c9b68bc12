package io.dflow.driver;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where executors come from, parsed from {@code --master}. */
public sealed interface Master {
  Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)])?");
  Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[(\\d+),\\s*(\\d+)]");

  /** Total task slots. */
  int totalSlots();

  /** One in-process executor with {@code slots} slots: the embedded default. */
  record Local(int slots) implements Master {
    @Override
    public int totalSlots() {
      return slots;
    }

    @Override
    public String toString() {
      return "local[" + slots + "]";
    }
  }

  /** {@code executors} executor JVMs on this machine with {@code slotsEach} slots each. */
  record LocalCluster(int executors, int slotsEach) implements Master {
    @Override
    public int totalSlots() {
      return executors * slotsEach;
    }

    @Override
    public String toString() {
      return "local-cluster[" + executors + "," + slotsEach + "]";
    }
  }

  /**
   * {@code executors} executors with {@code coresEach} slots each, in YARN containers
   * ({@code dflow.executor.instances} and {@code dflow.executor.cores}).
   */
  record Yarn(int executors, int coresEach) implements Master {
    @Override
    public int totalSlots() {
      return executors * coresEach;
    }

    @Override
    public String toString() {
      return "yarn";
    }
  }

  static Master parse(String spec) {
    return parse(spec, java.util.Map.of());
  }

  /** {@code spec}, with the executors of {@code yarn} from {@code conf}. */
  static Master parse(String spec, java.util.Map<String, String> conf) {
    String s = spec.trim();
    if (s.equals("yarn")) {
      return new Yarn(DflowConf.executorInstances(conf), DflowConf.executorCores(conf));
    }
    Matcher local = LOCAL.matcher(s);
    if (local.matches()) {
      String n = local.group(1);
      int slots = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
      return new Local(positive(slots, spec));
    }
    Matcher cluster = LOCAL_CLUSTER.matcher(s);
    if (cluster.matches()) {
      return new LocalCluster(positive(Integer.parseInt(cluster.group(1)), spec),
          positive(Integer.parseInt(cluster.group(2)), spec));
    }
    throw new IllegalArgumentException("unknown master '" + spec
        + "': expected local, local[N], local[*], local-cluster[E,N] or yarn");
  }

  private static int positive(int n, String spec) {
    if (n < 1) {
      throw new IllegalArgumentException("master '" + spec + "' needs at least 1 executor and 1 slot");
    }
    return n;
  }
}
