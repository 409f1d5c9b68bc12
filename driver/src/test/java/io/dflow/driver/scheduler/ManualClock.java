package io.dflow.driver.scheduler;

/** A clock that moves only when a test says so. */
final class ManualClock implements Clock {
  private long now;

  @Override
  public long nanoTime() {
    return now;
  }

  void advanceMillis(long millis) {
    now += millis * 1_000_000L;
  }
}
