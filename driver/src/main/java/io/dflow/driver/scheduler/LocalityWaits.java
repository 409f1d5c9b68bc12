package io.dflow.driver.scheduler;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long a free slot waits for a task at each locality level before it takes a less local
 * one ({@code dflow.locality.wait}, and {@code .process}, {@code .node}, {@code .rack} for one
 * level each). The wait is the slot's own: it counts from when that slot became free, starting
 * at the level of its executor's last launch from the stage, and a launch elsewhere does not
 * restart it.
 */
public record LocalityWaits(long processNanos, long nodeNanos, long rackNanos) {
  public static final String WAIT = "dflow.locality.wait";
  public static final LocalityWaits NONE = new LocalityWaits(0, 0, 0);
  /** Spark's default wait per level. */
  public static final long DEFAULT_MILLIS = 3000;

  /** From settings in milliseconds; a level's own key wins over {@value #WAIT}. */
  public static LocalityWaits from(Map<String, String> conf) {
    long all = millis(conf, WAIT, DEFAULT_MILLIS);
    return new LocalityWaits(nanos(conf, WAIT + ".process", all), nanos(conf, WAIT + ".node", all),
        nanos(conf, WAIT + ".rack", all));
  }

  /** How long a slot waits at {@code level} before it may take tasks of the next level. */
  long at(Locality level) {
    return switch (level) {
      case PROCESS_LOCAL -> processNanos;
      case NODE_LOCAL -> nodeNanos;
      case RACK_LOCAL -> rackNanos;
      default -> 0;
    };
  }

  private static long nanos(Map<String, String> conf, String key, long fallbackMillis) {
    return TimeUnit.MILLISECONDS.toNanos(millis(conf, key, fallbackMillis));
  }

  private static long millis(Map<String, String> conf, String key, long fallback) {
    String v = conf.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      long ms = Long.parseLong(v.trim());
      if (ms >= 0) {
        return ms;
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw new IllegalArgumentException("setting " + key + "=" + v + " is not valid: it must be a whole number"
        + " of milliseconds, 0 for no wait");
  }
}
