package io.dflow.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Timeline lanes: attempts in one lane never overlap, and an executor has as many lanes as the most attempts at once. */
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
    List<TaskRun> laid = Timeline.lanes(tasks);
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
