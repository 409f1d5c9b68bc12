package io.dflow.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Timeline lanes: attempts in one lane never overlap and an executor has as many lanes as the
 * most attempts at once, but never more than its slots.
 */
class TimelineTest {
  @Test
  void lanesNeverOverlapAndAreAsFewAsTheMostAttemptsAtOnce() {
    Random random = new Random(7);
    List<TaskRun> tasks = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String executor = String.valueOf(random.nextInt(3));
      long start = random.nextInt(10_000);
      tasks.add(task(i, executor, start, 1 + random.nextInt(500)));
    }
    List<TaskRun> laid = Timeline.lanes(tasks, Map.of());
    assertEquals(tasks.size(), laid.size());
    for (String executor : List.of("0", "1", "2")) {
      List<TaskRun> mine = laid.stream().filter(t -> t.executor().equals(executor)).toList();
      for (TaskRun a : mine) {
        for (TaskRun b : mine) {
          if (a != b && a.lane() == b.lane()) {
            assertFalse(a.startMillis() < b.endMillis() && b.startMillis() < a.endMillis(), a + " overlaps " + b);
          }
        }
      }
      int lanes = mine.stream().mapToInt(TaskRun::lane).max().getAsInt() + 1;
      assertEquals(mostAtOnce(mine), lanes, "executor " + executor);
    }
  }

  @Test
  void anExecutorNeverHasMoreLanesThanSlotsAndAnOverlapGoesWhereItOverlapsLeast() {
    // 2 slots; attempts reported late overlap their successors by a few milliseconds
    List<TaskRun> tasks = List.of(task(0, "e", 0, 100), task(1, "e", 0, 50), task(2, "e", 48, 60),
        task(3, "e", 97, 40), task(4, "e", 140, 10));
    List<TaskRun> laid = Timeline.lanes(tasks, Map.of("e", 2));
    Map<Integer, Integer> laneOf = new TreeMap<>();
    laid.forEach(t -> laneOf.put(t.partition(), t.lane()));
    // 2 starts at 48 while 0 (to 100) and 1 (to 50) run: it joins 1's lane, which frees first
    // 3 starts at 97 while 0 (to 100) and 2 (to 108) run: it joins 0's lane; 4 at 140 finds lane 0 free
    assertTrue(laneOf.values().stream().allMatch(l -> l < 2), laneOf.toString());
    assertNotEquals(laneOf.get(0), laneOf.get(1), laneOf.toString());
    assertEquals(laneOf.get(1), laneOf.get(2), laneOf.toString());
    assertEquals(laneOf.get(0), laneOf.get(3), laneOf.toString());
    assertEquals(3, mostAtOnce(laid), "what the times alone would need");
    assertEquals(3, Timeline.lanes(tasks, Map.of()).stream().mapToInt(TaskRun::lane).max().getAsInt() + 1,
        "with no slots known, as many lanes as attempts at once");
  }

  /** The most attempts running at one moment: a sweep over starts (+1) and ends (-1), ends first. */
  private static int mostAtOnce(List<TaskRun> tasks) {
    TreeMap<Long, Integer> delta = new TreeMap<>();
    for (TaskRun t : tasks) {
      delta.merge(t.startMillis(), 1, Integer::sum);
      delta.merge(t.endMillis(), -1, Integer::sum);
    }
    int now = 0;
    int most = 0;
    for (Map.Entry<Long, Integer> e : delta.entrySet()) {
      now += e.getValue(); // at one instant, ends and starts net out: a slot freed is taken again
      most = Math.max(most, now);
    }
    return most;
  }

  static TaskRun task(int partition, String executor, long start, long run) {
    return new TaskRun(0, 0, partition, 0, partition, executor, start, run, 0, "Success", null, "NO_PREF", 0, 0, 0,
        0, 0, 0, 0);
  }
}
