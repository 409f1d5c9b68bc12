package io.dflow.planner;

import java.util.Map;

/**
 * The settings that shape a plan.
 *
 * @param defaultParallelism total task slots of the cluster
 * @param maxSplitBytes upper bound of one input split ({@code dflow.input.maxSplitBytes})
 * @param slicesPerSlot tasks per slot for an in-memory collection ({@code dflow.parallelize.slicesPerSlot})
 * @param joinStrategy how joins run ({@code dflow.join.strategy})
 */
public record PlannerConf(int defaultParallelism, long maxSplitBytes, int slicesPerSlot, JoinStrategy joinStrategy) {
  public static final long DEFAULT_MAX_SPLIT_BYTES = 128L << 20;
  public static final int DEFAULT_SLICES_PER_SLOT = 2;

  /** Settings with the default join strategy ({@link JoinStrategy#AUTO}). */
  public PlannerConf(int defaultParallelism, long maxSplitBytes, int slicesPerSlot) {
    this(defaultParallelism, maxSplitBytes, slicesPerSlot, JoinStrategy.AUTO);
  }

  public PlannerConf {
    if (joinStrategy == null) {
      throw new IllegalArgumentException("a join strategy is needed");
    }
    if (defaultParallelism < 1 || maxSplitBytes < 1 || slicesPerSlot < 1) {
      throw new IllegalArgumentException("planner settings must be positive: " + defaultParallelism
          + ", " + maxSplitBytes + ", " + slicesPerSlot);
    }
  }

  /** The same settings with joins run by {@code strategy}. */
  public PlannerConf withJoinStrategy(JoinStrategy strategy) {
    return new PlannerConf(defaultParallelism, maxSplitBytes, slicesPerSlot, strategy);
  }

  /**
   * Reads {@code dflow.input.maxSplitBytes}, {@code dflow.parallelize.slicesPerSlot} and
   * {@code dflow.join.strategy} from a job's conf.
   */
  public static PlannerConf from(Map<String, String> conf, int defaultParallelism) {
    return new PlannerConf(defaultParallelism,
        Long.parseLong(conf.getOrDefault("dflow.input.maxSplitBytes", String.valueOf(DEFAULT_MAX_SPLIT_BYTES)).trim()),
        Integer.parseInt(conf.getOrDefault("dflow.parallelize.slicesPerSlot", String.valueOf(DEFAULT_SLICES_PER_SLOT)).trim()),
        JoinStrategy.of(conf.getOrDefault(JoinStrategy.KEY, JoinStrategy.AUTO.setting())));
  }
}
