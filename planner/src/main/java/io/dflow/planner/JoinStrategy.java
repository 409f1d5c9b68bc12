package io.dflow.planner;

import java.util.Locale;

/**
 * How the planner runs a join ({@code dflow.join.strategy}). {@link #SORT_MERGE}: both sides
 * shuffled by the join's partitioner and sorted by key map side, then merged in step, streaming
 * the left side and holding one key's right values. {@link #HASH}: each side grouped by key hash
 * on the reduce side (a cogroup) and the value lists paired. {@link #AUTO}: sort-merge when the
 * keys have a natural order (the scalar encoders) and at least one side is shuffled anyway, as
 * Spark prefers sort-merge joins; a hash join otherwise.
 */
public enum JoinStrategy {
  AUTO("auto"),
  HASH("hash"),
  SORT_MERGE("sortMerge");

  public static final String KEY = "dflow.join.strategy";

  private final String setting;

  JoinStrategy(String setting) {
    this.setting = setting;
  }

  /** The value of {@code dflow.join.strategy} naming it. */
  public String setting() {
    return setting;
  }

  /** The strategy a setting names, case aside; a clear error naming the key and the choices otherwise. */
  public static JoinStrategy of(String setting) {
    for (JoinStrategy s : values()) {
      if (s.setting.toLowerCase(Locale.ROOT).equals(setting.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException("setting " + KEY + "=" + setting + " is not valid: it must be auto, hash or sortMerge");
  }
}
