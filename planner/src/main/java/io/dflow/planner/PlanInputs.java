package io.dflow.planner;

import io.dflow.api.Partitioner;
import io.dflow.api.StorageLevel;
import java.util.Map;
import java.util.Set;

/**
 * What the driver knows of the application when it plans a job, beyond the job's own DAG.
 *
 * @param persisted the nodes whose partitions are kept, and at which level
 * @param known shuffles that earlier jobs planned: each keeps a map stage of its own, since its
 *     outputs may already exist
 * @param sortPartitioners the range partitioner sampled for each {@code sortByKey} node so far
 */
public record PlanInputs(Map<Integer, StorageLevel> persisted, Set<ShuffleId> known,
    Map<Integer, Partitioner> sortPartitioners) {
  public static final PlanInputs NONE = new PlanInputs(Map.of(), Set.of(), Map.of());

  public PlanInputs {
    persisted = Map.copyOf(persisted);
    known = Set.copyOf(known);
    sortPartitioners = Map.copyOf(sortPartitioners);
  }
}
