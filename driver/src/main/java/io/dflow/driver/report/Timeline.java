package io.dflow.driver.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places every task attempt on a lane of its executor (a row of the timeline, one per task
 * slot): each goes, in order of start, to the lowest lane free by then. With no lane free it
 * takes a new one, up to the executor's slots; past them, the lane that frees first. Logged
 * start times are estimates (an attempt's end as the driver saw it, less its run time), so two
 * attempts that followed each other on one slot can seem to overlap by the delay in reporting
 * them; the cap keeps such an overlap on one row instead of adding rows the executor never had.
 */
public final class Timeline {
  private Timeline() {}

  /**
   * {@code tasks} with their lanes set, in order of executor, then start.
   *
   * @param slots each executor's task slots; an executor not named, or with 0, gets as many lanes
   *     as the most attempts that ran on it at once
   */
  public static List<TaskRun> lanes(List<TaskRun> tasks, Map<String, Integer> slots) {
    Map<String, List<TaskRun>> byExecutor = new LinkedHashMap<>();
    for (TaskRun t : tasks) {
      byExecutor.computeIfAbsent(t.executor(), e -> new ArrayList<>()).add(t);
    }
    List<TaskRun> out = new ArrayList<>(tasks.size());
    for (Map.Entry<String, List<TaskRun>> e : byExecutor.entrySet()) {
      int cap = slots.getOrDefault(e.getKey(), 0) > 0 ? slots.get(e.getKey()) : Integer.MAX_VALUE;
      List<TaskRun> runs = e.getValue();
      runs.sort(Comparator.comparingLong(TaskRun::startMillis).thenComparingLong(TaskRun::endMillis));
      List<Long> freeAt = new ArrayList<>();
      for (TaskRun t : runs) {
        int lane = 0;
        while (lane < freeAt.size() && freeAt.get(lane) > t.startMillis()) {
          lane++;
        }
        if (lane == freeAt.size() && freeAt.size() >= cap) {
          lane = soonestFree(freeAt);
        }
        if (lane == freeAt.size()) {
          freeAt.add(t.endMillis());
        } else {
          freeAt.set(lane, Math.max(freeAt.get(lane), t.endMillis()));
        }
        out.add(t.inLane(lane));
      }
    }
    return out;
  }

  private static int soonestFree(List<Long> freeAt) {
    int best = 0;
    for (int i = 1; i < freeAt.size(); i++) {
      if (freeAt.get(i) < freeAt.get(best)) {
        best = i;
      }
    }
    return best;
  }
}
