package io.dflow.driver.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Task slot time left idle while a stage had tasks not yet started: what a locality wait costs.
 * A sweep over the application's timeline: between two moments where something changes (a task
 * of any stage starts or ends, an executor joins or is lost, one of the stage's tasks starts),
 * the idle slots that a waiting task could have taken are the fewer of the free slots and the
 * stage's tasks still to start. Only spells of at least {@value #MIN_SPELL_MILLIS} ms count:
 * the gaps of a few milliseconds between one task and the next on a slot are launching, not
 * waiting (and start times are estimates to about that).
 */
final class IdleSlots {
  static final long MIN_SPELL_MILLIS = 50;

  private IdleSlots() {}

  /**
   * Slot-milliseconds idle while tasks of a stage submitted at {@code submitted} waited to start.
   *
   * @param stageTasks the stage attempt's task attempts; only first attempts wait from the start
   * @param all every task attempt of the application (they hold slots)
   */
  static long whileWaiting(long submitted, List<TaskRun> stageTasks, List<TaskRun> all,
      List<AppReport.Executor> executors) {
    List<long[]> changes = new ArrayList<>(); // {time, change in slots, change in running, change in pending}
    int pending = 0;
    for (TaskRun t : stageTasks) {
      if (t.attempt() == 0 && t.startMillis() > submitted) {
        pending++;
        changes.add(new long[] {t.startMillis(), 0, 0, -1});
      }
    }
    if (pending == 0) {
      return 0;
    }
    changes.add(new long[] {submitted, 0, 0, 0});
    for (TaskRun t : all) {
      changes.add(new long[] {t.startMillis(), 0, 1, 0});
      changes.add(new long[] {t.endMillis(), 0, -1, 0});
    }
    for (AppReport.Executor x : executors) {
      changes.add(new long[] {x.addedMillis(), x.slots(), 0, 0});
      if (x.lostReason() != null) {
        changes.add(new long[] {x.lostMillis(), -x.slots(), 0, 0});
      }
    }
    changes.sort((a, b) -> Long.compare(a[0], b[0]));
    long slots = 0;
    long running = 0;
    long idle = 0;
    long spell = 0;
    long spellStart = -1;
    for (int i = 0; i < changes.size(); i++) {
      long[] c = changes.get(i);
      slots += c[1];
      running += c[2];
      pending += (int) c[3];
      if (i + 1 < changes.size() && changes.get(i + 1)[0] == c[0]) {
        continue; // apply every change of one moment before looking
      }
      long next = i + 1 < changes.size() ? changes.get(i + 1)[0] : c[0];
      long waiting = c[0] < submitted || pending <= 0 ? 0 : Math.min(pending, Math.max(0, slots - running));
      if (waiting > 0) {
        if (spellStart < 0) {
          spellStart = c[0];
        }
        spell += waiting * (next - c[0]);
      } else {
        idle += endSpell(spellStart, c[0], spell);
        spellStart = -1;
        spell = 0;
      }
    }
    return idle;
  }

  private static long endSpell(long start, long end, long area) {
    return start >= 0 && end - start >= MIN_SPELL_MILLIS ? area : 0;
  }
}
