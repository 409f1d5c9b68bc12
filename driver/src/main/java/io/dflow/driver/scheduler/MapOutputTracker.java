package io.dflow.driver.scheduler;

import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.planner.ShuffleId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per shuffle of the application, where each map output lives (the executor that wrote it and
 * the attempt whose files hold it) and how large its partitions are. It outlives jobs, so a
 * later job reads map outputs that still exist instead of recomputing them; a lost executor or
 * a failed fetch removes outputs, which makes their map tasks run again.
 *
 * <p>Threading: used on the scheduler's event loop only.
 */
final class MapOutputTracker {
  /** One registered map output. */
  record Output(MapOutputLocation location, long[] partitionBytes) {}

  private final Map<ShuffleId, Output[]> shuffles = new HashMap<>();

  /** Makes room for a shuffle's {@code maps} outputs (a no-op if it is known). */
  void register(ShuffleId shuffle, int maps) {
    shuffles.computeIfAbsent(shuffle, s -> new Output[maps]);
  }

  /** Records (or replaces) the output of map {@code location.mapIndex()}. */
  void add(ShuffleId shuffle, MapOutputLocation location, long[] partitionBytes) {
    shuffles.get(shuffle)[location.mapIndex()] = new Output(location, partitionBytes);
  }

  /** Forgets map {@code map}'s output if {@code executor} (when given) still holds it; returns whether it did. */
  boolean remove(ShuffleId shuffle, int map, ExecutorId executor) {
    Output[] outputs = shuffles.get(shuffle);
    if (outputs == null || map < 0 || map >= outputs.length || outputs[map] == null) {
      return false;
    }
    if (executor != null && !outputs[map].location().executor().equals(executor)) {
      return false;
    }
    outputs[map] = null;
    return true;
  }

  /** Forgets every output on {@code executor}; returns the shuffles that lost any. */
  List<ShuffleId> removeExecutor(ExecutorId executor) {
    List<ShuffleId> lost = new ArrayList<>();
    for (Map.Entry<ShuffleId, Output[]> e : shuffles.entrySet()) {
      Output[] outputs = e.getValue();
      boolean any = false;
      for (int i = 0; i < outputs.length; i++) {
        if (outputs[i] != null && outputs[i].location().executor().equals(executor)) {
          outputs[i] = null;
          any = true;
        }
      }
      if (any) {
        lost.add(e.getKey());
      }
    }
    return lost;
  }

  /** Whether every map output of {@code shuffle} exists. */
  boolean isAvailable(ShuffleId shuffle) {
    Output[] outputs = shuffles.get(shuffle);
    if (outputs == null) {
      return false;
    }
    for (Output o : outputs) {
      if (o == null) {
        return false;
      }
    }
    return true;
  }

  /** The map partitions of {@code shuffle} without an output (all of them if it is unknown). */
  List<Integer> missing(ShuffleId shuffle, int maps) {
    Output[] outputs = shuffles.get(shuffle);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < maps; i++) {
      if (outputs == null || outputs[i] == null) {
        out.add(i);
      }
    }
    return out;
  }

  /** Where every map output of an available shuffle is, by map index. */
  List<MapOutputLocation> locations(ShuffleId shuffle) {
    Output[] outputs = shuffles.get(shuffle);
    List<MapOutputLocation> out = new ArrayList<>(outputs.length);
    for (Output o : outputs) {
      out.add(o.location());
    }
    return out;
  }

  /** Bytes per reduce partition of {@code shuffle}, summed over its map outputs. */
  long[] partitionBytes(ShuffleId shuffle) {
    long[] sums = null;
    for (Output o : shuffles.get(shuffle)) {
      if (o == null) {
        continue;
      }
      if (sums == null) {
        sums = new long[o.partitionBytes().length];
      }
      for (int p = 0; p < sums.length; p++) {
        sums[p] += o.partitionBytes()[p];
      }
    }
    return sums == null ? new long[0] : sums;
  }

  /** The shuffles whose every output exists. */
  Set<ShuffleId> available() {
    Set<ShuffleId> out = new java.util.HashSet<>();
    for (ShuffleId s : shuffles.keySet()) {
      if (isAvailable(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
