package io.dflow.driver.scheduler;

import io.dflow.executor.protocol.BlockUpdate;
import io.dflow.executor.protocol.ExecutorId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which executors hold each cached partition of each persisted dataset, as their tasks report
 * storing and evicting them. Tasks that read a cached partition are sent where it is, and a
 * stage whose persisted input is wholly cached does not wait for the stages behind it.
 *
 * <p>Threading: used on the scheduler's event loop only.
 */
final class CacheTracker {
  private final Map<Integer, Map<Integer, Set<ExecutorId>>> datasets = new HashMap<>();

  void update(ExecutorId executor, BlockUpdate update) {
    Map<Integer, Set<ExecutorId>> parts = datasets.computeIfAbsent(update.node(), n -> new HashMap<>());
    if (update.stored()) {
      parts.computeIfAbsent(update.partition(), p -> new LinkedHashSet<>()).add(executor);
    } else {
      Set<ExecutorId> holders = parts.get(update.partition());
      if (holders != null) {
        holders.remove(executor);
        if (holders.isEmpty()) {
          parts.remove(update.partition());
        }
      }
    }
  }

  /** The executors holding partition {@code partition} of dataset {@code node}. */
  Set<ExecutorId> holders(int node, int partition) {
    Map<Integer, Set<ExecutorId>> parts = datasets.get(node);
    Set<ExecutorId> holders = parts == null ? null : parts.get(partition);
    return holders == null ? Set.of() : holders;
  }

  /** Whether all {@code partitions} partitions of dataset {@code node} are cached somewhere. */
  boolean isComplete(int node, int partitions) {
    Map<Integer, Set<ExecutorId>> parts = datasets.get(node);
    return parts != null && parts.size() == partitions;
  }

  void removeExecutor(ExecutorId executor) {
    for (Map<Integer, Set<ExecutorId>> parts : datasets.values()) {
      parts.values().forEach(holders -> holders.remove(executor));
      parts.values().removeIf(Set::isEmpty);
    }
  }

  void dropDataset(int node) {
    datasets.remove(node);
  }
}
