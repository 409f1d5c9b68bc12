package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Failed handshakes are logged at a bounded rate with a count; handshakes under way are capped. */
class HandshakeGateTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final List<String> lines = new ArrayList<>();
  private final HandshakeGate gate = new HandshakeGate(now::get, lines::add);

  @Test
  void aFloodOfFailuresGivesOneLineAnIntervalWithTheCount() {
    for (int i = 0; i < 1000; i++) {
      gate.failed("peer-" + i, "sent a wrong proof (wrong secret?)");
      now.addAndGet(1_000_000); // 1 ms apart: a second in all
    }
    assertEquals(1, lines.size(), "the first failure is logged at once, the rest are counted");
    assertTrue(lines.get(0).contains("peer-0") && lines.get(0).contains("wrong proof"), lines.get(0));
    now.addAndGet(HandshakeGate.LOG_INTERVAL_NANOS);
    gate.failed("peer-last", "did not authenticate within 10000 ms");
    assertEquals(2, lines.size());
    assertTrue(lines.get(1).contains("peer-last") && lines.get(1).contains("and 999 more connections failed"),
        lines.get(1));
  }

  @Test
  void atMostMaxPendingHandshakesRunAtOnce() {
    for (int i = 0; i < HandshakeGate.MAX_PENDING; i++) {
      assertTrue(gate.admit("peer-" + i));
    }
    assertFalse(gate.admit("one too many"));
    assertEquals(HandshakeGate.MAX_PENDING, gate.pending());
    assertTrue(lines.get(0).contains("one too many") && lines.get(0).contains("already authenticating"), lines.get(0));
    gate.ended();
    assertTrue(gate.admit("in again"), "a slot freed by an ended handshake is taken again");
  }
}
