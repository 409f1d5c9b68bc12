package io.dflow.driver.scheduler;

import java.util.Locale;

/**
 * What a {@link Simulation} runs: a cluster of {@code nodes} hosts ({@code node-0} …) with
 * {@code slotsPerNode} slots each, in {@code racks} racks of consecutive hosts; one stage of
 * {@code tasks} tasks, each preferring {@code replicas} distinct hosts ({@link Placement});
 * how long tasks run; the locality wait per level and how it is counted ({@link Policy}); how
 * much slower a task runs away from its data (1 for not at all); and executors lost during the
 * stage ({@link Loss}).
 */
public record SimulationConfig(int nodes, int slotsPerNode, int racks, int tasks, int replicas, Durations durations,
    long waitMillis, long seed, Placement placement, Policy policy, double rackSlowdown, double anySlowdown,
    Loss loss) {

  /** A run that loses no executor. */
  public SimulationConfig(int nodes, int slotsPerNode, int racks, int tasks, int replicas, Durations durations,
      long waitMillis, long seed, Placement placement, Policy policy, double rackSlowdown, double anySlowdown) {
    this(nodes, slotsPerNode, racks, tasks, replicas, durations, waitMillis, seed, placement, policy, rackSlowdown,
        anySlowdown, Loss.NONE);
  }

  public SimulationConfig {
    require(nodes >= 1, "--nodes must be at least 1");
    require(slotsPerNode >= 1, "--slots must be at least 1");
    require(racks >= 1 && racks <= nodes, "--racks must be between 1 and the number of nodes");
    require(tasks >= 1, "--tasks must be at least 1");
    require(replicas >= 1, "--replicas must be at least 1");
    require(waitMillis >= 0, "--wait must be 0 or more milliseconds");
    require(placement.hotHosts() <= nodes, "hot:H needs H at most the number of nodes");
    require(replicas <= placement.hostsUsed(nodes), "--replicas " + replicas + " needs as many hosts to hold them: "
        + placement.spec() + " places them on " + placement.hostsUsed(nodes));
    require(rackSlowdown >= 1 && anySlowdown >= rackSlowdown,
        "slowdowns must satisfy 1 <= rack-local <= any");
    require(loss.executors() < nodes, "--lose N@MS must leave an executor: N below the number of nodes");
  }

  /**
   * {@code executors} executors, drawn from the seed, lost at {@code atMillis} of simulated time:
   * the attempts running or queued on them go back to pending, as when a driver loses executors.
   */
  public record Loss(int executors, long atMillis) {
    public static final Loss NONE = new Loss(0, 0);

    public Loss {
      require(executors >= 0 && atMillis >= 0, "--lose N@MS needs N and MS of 0 or more");
      require(executors == 0 || atMillis >= 1, "--lose N@MS needs MS of 1 or more: the stage starts at 0");
    }

    /** {@code N@MS}, or {@code none}. */
    public static Loss parse(String spec) {
      String s = spec.trim();
      if (s.equalsIgnoreCase("none")) {
        return NONE;
      }
      int at = s.indexOf('@');
      try {
        if (at > 0) {
          return new Loss(Integer.parseInt(s.substring(0, at).trim()), Long.parseLong(s.substring(at + 1).trim()));
        }
      } catch (NumberFormatException e) {
        // named below
      }
      throw new IllegalArgumentException("--lose " + spec + " is not valid: use N@MS (N executors lost at MS"
          + " milliseconds) or none");
    }

    public String spec() {
      return executors == 0 ? "none" : executors + "@" + atMillis;
    }
  }

  /** The rack of host {@code node}: racks hold consecutive hosts, as evenly as they divide. */
  int rackOf(int node) {
    return (int) ((long) node * racks / nodes);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** How long a task runs where its data is, in milliseconds, from a uniform draw in [0, 1). */
  public sealed interface Durations {
    double millis(double unit);

    /** As {@code --duration-dist} spells it. */
    String spec();

    /** {@code fixed:MS}, {@code uniform:MIN,MAX} or {@code exp:MEAN}, in milliseconds. */
    static Durations parse(String spec) {
      String s = spec.trim().toLowerCase(Locale.ROOT);
      int colon = s.indexOf(':');
      String kind = colon < 0 ? s : s.substring(0, colon);
      String[] args = colon < 0 ? new String[0] : s.substring(colon + 1).split(",");
      try {
        switch (kind) {
          case "fixed":
            if (args.length == 1) {
              return new Fixed(positive(args[0]));
            }
            break;
          case "uniform":
            if (args.length == 2) {
              double min = positive(args[0]);
              double max = positive(args[1]);
              if (max >= min) {
                return new Uniform(min, max);
              }
            }
            break;
          case "exp":
            if (args.length == 1) {
              return new Exponential(positive(args[0]));
            }
            break;
          default:
            break;
        }
      } catch (NumberFormatException e) {
        // named below
      }
      throw new IllegalArgumentException("--duration-dist " + spec + " is not valid: use fixed:MS, uniform:MIN,MAX"
          + " (MIN <= MAX) or exp:MEAN, in milliseconds above 0");
    }

    private static double positive(String v) {
      double d = Double.parseDouble(v.trim());
      if (!(d > 0) || Double.isInfinite(d)) {
        throw new NumberFormatException(v);
      }
      return d;
    }
  }

  /** Every task runs {@code ms}. */
  public record Fixed(double ms) implements Durations {
    @Override
    public double millis(double unit) {
      return ms;
    }

    @Override
    public String spec() {
      return "fixed:" + number(ms);
    }
  }

  /** Uniform between {@code min} and {@code max}. */
  public record Uniform(double min, double max) implements Durations {
    @Override
    public double millis(double unit) {
      return min + unit * (max - min);
    }

    @Override
    public String spec() {
      return "uniform:" + number(min) + "," + number(max);
    }
  }

  /** Exponential with mean {@code mean}. */
  public record Exponential(double mean) implements Durations {
    @Override
    public double millis(double unit) {
      return -mean * Math.log1p(-unit);
    }

    @Override
    public String spec() {
      return "exp:" + number(mean);
    }
  }

  private static String number(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  /**
   * Which hosts hold a task's replicas: random distinct hosts of the whole cluster, or ({@code
   * hot:H}) of its first {@code H} hosts only, the shape of SPARK-18886: the input lives on a few
   * hosts of a large cluster.
   */
  public record Placement(int hotHosts) {
    public static final Placement UNIFORM = new Placement(0);

    public Placement {
      require(hotHosts >= 0, "hot:H needs H of 1 or more");
    }

    /** {@code uniform} or {@code hot:H}. */
    public static Placement parse(String spec) {
      String s = spec.trim().toLowerCase(Locale.ROOT);
      if (s.equals("uniform")) {
        return UNIFORM;
      }
      if (s.startsWith("hot:")) {
        try {
          int h = Integer.parseInt(s.substring(4).trim());
          if (h >= 1) {
            return new Placement(h);
          }
        } catch (NumberFormatException e) {
          // named below
        }
      }
      throw new IllegalArgumentException("--placement " + spec + " is not valid: use uniform or hot:H (H >= 1 hosts)");
    }

    /** How many hosts replicas are drawn from. */
    int hostsUsed(int nodes) {
      return hotHosts == 0 ? nodes : hotHosts;
    }

    public String spec() {
      return hotHosts == 0 ? "uniform" : "hot:" + hotHosts;
    }
  }

  /** How a slot's locality wait counts. */
  public enum Policy {
    /** dflow's: from when that slot became free. */
    PER_SLOT("per-slot"),
    /**
     * Spark's before 3.1 (since then {@code spark.locality.wait.legacyResetOnTaskLaunch}): one
     * timer per task set, which every launch (but of a task with no preference) restarts at the
     * level of that launch.
     */
    SPARK_RESET("spark-reset"),
    /**
     * A variant of dflow's, not what the scheduler does: every freed slot waits through every
     * level again, even after its executor found nothing better and took a less local task.
     */
    RESTART("restart"),
    /**
     * dflow's, but waiting through every level even when more tasks wait for it than its slots
     * could start within the wait (data on a few hosts of a large cluster).
     */
    WAIT_THROUGH("wait-through");

    private final String spec;

    Policy(String spec) {
      this.spec = spec;
    }

    public String spec() {
      return spec;
    }

    /** {@code per-slot}, {@code spark-reset}, {@code restart} or {@code wait-through}. */
    public static Policy parse(String spec) {
      for (Policy p : values()) {
        if (p.spec.equalsIgnoreCase(spec.trim())) {
          return p;
        }
      }
      throw new IllegalArgumentException("--policy " + spec + " is not valid: use per-slot, spark-reset,"
          + " restart or wait-through");
    }
  }
}
