package io.dflow.executor.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.executor.protocol.ControlMessage.LaunchTasks;
import io.dflow.executor.protocol.ControlMessage.StatusUpdate;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.planner.ShuffleId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The binary form of task launches and status updates: every field survives a round trip, other
 * messages still travel, and no truncated, padded or inflated frame is read as anything but an
 * {@link IOException}.
 */
class ControlCodecTest {
  private static final StageAttemptId STAGE = new StageAttemptId(new StageId(7), 2);

  private static LaunchTasks launches() {
    return new LaunchTasks(List.of(
        new TaskLaunch(new TaskAttempt(41, STAGE, 3, 0), null, List.of()),
        new TaskLaunch(new TaskAttempt(42, STAGE, 4, 1), new byte[] {1, 2, 3},
            List.of(new CachedBlockLocation(9, 4, new ExecutorId("exec-1"), "127.0.0.1", 40123)))));
  }

  private static StatusUpdate statuses() {
    TaskEndReason.Success ok = new TaskEndReason.Success(new byte[] {0, 0, 0, 0, 0, 0, 0, 5},
        List.of(new MapStatus(new ShuffleId(12, 1), new long[] {10, 0, 33})),
        List.of(new BlockUpdate(9, 4, true), new BlockUpdate(9, 5, false)), Map.of("lines", 17L, "bad", -2L));
    TaskEndReason.Success empty = new TaskEndReason.Success(null, List.of(), List.of(), Map.of());
    return new StatusUpdate(List.of(
        new TaskEnded(new TaskAttempt(41, STAGE, 3, 0), new ExecutorId("exec-0"), ok, new TaskMetrics(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)),
        new TaskEnded(new TaskAttempt(43, STAGE, 5, 0), new ExecutorId("exec-0"), empty, TaskMetrics.NONE),
        new TaskEnded(new TaskAttempt(44, STAGE, 6, 2), new ExecutorId("exec-1"),
            new TaskEndReason.FetchFailed(new ShuffleId(12, 0), 3, new ExecutorId("exec-2"), "reset"), TaskMetrics.NONE),
        new TaskEnded(new TaskAttempt(45, STAGE, 7, 0), new ExecutorId("exec-1"),
            new TaskEndReason.ExceptionFailure("java.lang.IllegalStateException", "boom", "slice of 1 records",
                "java.lang.IllegalStateException: boom"), new TaskMetrics(0, 0, 0, 0, 9))),
        List.of(new ControlMessage.TaskStatus(new TaskAttempt(46, STAGE, 8, 1), "mapper: line 1200 — ünïcode")));
  }

  @Test
  void launchesSurviveARoundTrip() throws IOException {
    LaunchTasks sent = launches();
    LaunchTasks got = (LaunchTasks) ControlMessage.decode(sent.encode());
    assertEquals(sent.tasks().size(), got.tasks().size());
    for (int i = 0; i < sent.tasks().size(); i++) {
      assertEquals(sent.tasks().get(i).attempt(), got.tasks().get(i).attempt());
      assertArrayEquals(sent.tasks().get(i).inputs(), got.tasks().get(i).inputs());
      assertEquals(sent.tasks().get(i).cached(), got.tasks().get(i).cached());
    }
  }

  @Test
  void statusUpdatesSurviveARoundTrip() throws IOException {
    StatusUpdate sent = statuses();
    StatusUpdate got = (StatusUpdate) ControlMessage.decode(sent.encode());
    assertEquals(sent.running(), got.running());
    assertEquals(sent.ended().size(), got.ended().size());
    for (int i = 0; i < sent.ended().size(); i++) {
      TaskEnded a = sent.ended().get(i);
      TaskEnded b = got.ended().get(i);
      assertEquals(a.attempt(), b.attempt());
      assertEquals(a.executor(), b.executor());
      assertEquals(a.metrics(), b.metrics());
      if (a.reason() instanceof TaskEndReason.Success ok) {
        TaskEndReason.Success back = assertInstanceOf(TaskEndReason.Success.class, b.reason());
        assertArrayEquals(ok.result(), back.result());
        assertEquals(ok.shuffles().size(), back.shuffles().size());
        for (int s = 0; s < ok.shuffles().size(); s++) {
          assertEquals(ok.shuffles().get(s).shuffle(), back.shuffles().get(s).shuffle());
          assertArrayEquals(ok.shuffles().get(s).partitionBytes(), back.shuffles().get(s).partitionBytes());
        }
        assertEquals(ok.blocks(), back.blocks());
        assertEquals(ok.counters(), back.counters());
      } else {
        assertEquals(a.reason(), b.reason());
      }
    }
  }

  @Test
  void otherMessagesTravelAsBefore() throws IOException {
    ControlMessage m = new ControlMessage.RegisterExecutor(new ExecutorId("exec-3"), "host", "10.0.0.3", 7000, 2);
    assertEquals(m, ControlMessage.decode(m.encode()));
    assertEquals(new ControlMessage.StopExecutor(), ControlMessage.decode(new ControlMessage.StopExecutor().encode()));
  }

  @Test
  void everyTruncationIsRefused() {
    for (ControlMessage m : List.of(launches(), statuses())) {
      byte[] frame = m.encode();
      for (int cut = 0; cut < frame.length; cut++) {
        byte[] shorter = Arrays.copyOf(frame, cut);
        assertThrows(IOException.class, () -> ControlMessage.decode(shorter), "cut at " + cut);
      }
    }
  }

  @Test
  void trailingBytesUnknownKindsAndInflatedCountsAreRefused() {
    byte[] frame = statuses().encode();
    byte[] longer = Arrays.copyOf(frame, frame.length + 1);
    IOException e = assertThrows(IOException.class, () -> ControlMessage.decode(longer));
    assertTrue(e.getMessage().contains("1 bytes after the end"), e.getMessage());
    assertThrows(IOException.class, () -> ControlMessage.decode(new byte[] {'Z', 0, 0, 0, 0}));
    // a launch batch claiming two billion tasks in a few bytes: refused before anything is allocated
    byte[] huge = ByteBuffer.allocate(9).put((byte) 'L').putInt(Integer.MAX_VALUE).putInt(0).array();
    e = assertThrows(IOException.class, () -> ControlMessage.decode(huge));
    assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    byte[] negative = ByteBuffer.allocate(5).put((byte) 'S').putInt(-3).array();
    assertThrows(IOException.class, () -> ControlMessage.decode(negative));
  }

  @Test
  void aFieldABadRecordWouldRefuseIsAnUnreadableFrame() {
    // an executor id of zero characters
    StatusUpdate bad = new StatusUpdate(List.of(new TaskEnded(new TaskAttempt(1, STAGE, 0, 0), new ExecutorId("x"),
        new TaskEndReason.Success(null, List.of(), List.of(), Map.of()), TaskMetrics.NONE)));
    byte[] frame = bad.encode();
    int at = 1 + 4 + 8 + 4 * 4; // kind, count, attempt
    frame[at] = 0;
    frame[at + 1] = 0; // the UTF length of "x" becomes 0 ...
    byte[] fixed = new byte[frame.length - 1];
    System.arraycopy(frame, 0, fixed, 0, at + 2);
    System.arraycopy(frame, at + 3, fixed, at + 2, frame.length - at - 3); // ... and its byte goes
    assertThrows(IOException.class, () -> ControlMessage.decode(fixed));
  }
}
