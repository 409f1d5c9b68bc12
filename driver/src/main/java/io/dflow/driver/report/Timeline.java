package io.dflow.driver.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places every task attempt on a lane of its executor, so that attempts on one lane never
 * overlap: each goes, in order of start, to the lowest lane free by then. That uses as many lanes
 * as the most attempts that ran at once on the executor, which is its slots when times are exact.
 */
public final class Timeline {
  private Timeline() {}

  /** {@code tasks} with their lanes set, in order of executor, then start. */
  public static List<TaskRun> lanes(List<TaskRun> tasks) {
    Map<String, List<TaskRun>> byExecutor = new LinkedHashMap<>();
    for (TaskRun t : tasks) {
      byExecutor.computeIfAbsent(t.executor(), e -> new ArrayList<>()).add(t);
    }
    List<TaskRun> out = new ArrayList<>(tasks.size());
    for (List<TaskRun> runs : byExecutor.values()) {
      runs.sort(Comparator.comparingLong(TaskRun::startMillis).thenComparingLong(TaskRun::endMillis));
      List<Long> freeAt = new ArrayList<>();
      for (TaskRun t : runs) {
        int lane = 0;
        while (lane < freeAt.size() && freeAt.get(lane) > t.startMillis()) {
          lane++;
        }
        if (lane == freeAt.size()) {
          freeAt.add(t.endMillis());
        } else {
          freeAt.set(lane, t.endMillis());
        }
        out.add(t.inLane(lane));
      }
    }
    return out;
  }
}
