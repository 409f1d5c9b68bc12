package io.dflow.driver.scheduler;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The application's counters: what driver code added plus what each task's successful attempt
 * reported (a failed attempt's additions are dropped with it). Thread-safe.
 */
public final class Counters {
  private final ConcurrentHashMap<String, LongAdder> totals = new ConcurrentHashMap<>();

  public void add(String name, long delta) {
    totals.computeIfAbsent(name, n -> new LongAdder()).add(delta);
  }

  public void addAll(Map<String, Long> deltas) {
    deltas.forEach(this::add);
  }

  public long value(String name) {
    LongAdder a = totals.get(name);
    return a == null ? 0 : a.sum();
  }

  /** Every counter's value, by name. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    totals.forEach((name, adder) -> out.put(name, adder.sum()));
    return out;
  }
}
