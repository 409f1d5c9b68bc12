package io.dflow.executor.shuffle;

/** How often a task spilled and how many bytes its spill files took. Threading: one task's. */
public final class SpillMetrics {
  private int spills;
  private long bytes;

  void spilled(long fileBytes) {
    spills++;
    bytes += fileBytes;
  }

  public int spills() {
    return spills;
  }

  public long bytes() {
    return bytes;
  }
}
