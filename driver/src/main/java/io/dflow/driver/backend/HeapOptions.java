package io.dflow.driver.backend;

import java.util.List;

/**
 * The garbage-collector options dflow gives a JVM besides its {@code -Xmx}, so that its resident
 * memory follows what the job keeps rather than the heap's limit: the parallel collector (no
 * per-region remembered sets, sort pages and aggregation tables are never humongous objects), a
 * young generation of a thirty-second of the heap, a heap that starts at twice that and grows
 * only as far as a 5% share of time in collection asks ({@code GCTimeRatio=19}). bin/dflow gives
 * the driver the same options. A user who picks a collector in their own options gets none of
 * these, one who sizes the heap there ({@code -Xmx}, {@code -Xms}, {@code -Xmn}) only the
 * collector; their options come after these and win.
 */
public final class HeapOptions {
  static final long MIN_YOUNG_BYTES = 16L << 20;

  private HeapOptions() {}

  /** The options for a JVM with {@code heapBytes} of heap and the user's {@code userOptions}. */
  public static List<String> forHeap(long heapBytes, List<String> userOptions) {
    if (userOptions.stream().anyMatch(HeapOptions::picksCollector)) {
      return List.of();
    }
    long youngMiB = Math.max(MIN_YOUNG_BYTES, heapBytes / 32) >> 20;
    if (2 * youngMiB << 20 > heapBytes || userOptions.stream().anyMatch(HeapOptions::sizesHeap)) {
      return List.of("-XX:+UseParallelGC", "-XX:GCTimeRatio=19"); // the JVM's own sizing of the generations
    }
    return List.of("-XX:+UseParallelGC", "-XX:GCTimeRatio=19", "-Xmn" + youngMiB + "m", "-Xms" + 2 * youngMiB + "m");
  }

  /** Whether a JVM option sets a size of the heap or of its young generation. */
  static boolean sizesHeap(String option) {
    return option.startsWith("-Xmx") || option.startsWith("-Xms") || option.startsWith("-Xmn")
        || option.startsWith("-XX:NewSize") || option.startsWith("-XX:MaxNewSize") || option.startsWith("-XX:NewRatio");
  }

  /** Whether a JVM option selects a garbage collector ({@code -XX:+UseG1GC} and the like). */
  static boolean picksCollector(String option) {
    return option.startsWith("-XX:+Use") && option.endsWith("GC");
  }
}
