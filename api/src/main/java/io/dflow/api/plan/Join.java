package io.dflow.api.plan;

import io.dflow.api.Optional;
import io.dflow.api.Pair;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Which pairs of values a join of two key/value datasets gives for a key: those found on both
 * sides, and for an outer join also each value of one side with an empty {@link Optional} for
 * the other when that side has none. The same rules serve both ways a join runs: pairing the
 * value lists of a cogroup ({@link #pairs}), and a sort-merge join that streams one side
 * ({@link #both}, {@link #leftOnly}, {@link #rightOnly}).
 */
public enum Join {
  INNER("join", false, false),
  LEFT_OUTER("leftOuterJoin", true, false),
  RIGHT_OUTER("rightOuterJoin", false, true),
  FULL_OUTER("fullOuterJoin", true, true);

  private final String step;
  private final boolean keepsLeft;
  private final boolean keepsRight;

  Join(String step, boolean keepsLeft, boolean keepsRight) {
    this.step = step;
    this.keepsLeft = keepsLeft;
    this.keepsRight = keepsRight;
  }

  /** The API step: {@code join}, {@code leftOuterJoin}, ... */
  public String step() {
    return step;
  }

  /** Whether a left value with no right value for its key is kept. */
  public boolean keepsLeftOnly() {
    return keepsLeft;
  }

  /** Whether a right value with no left value for its key is kept. */
  public boolean keepsRightOnly() {
    return keepsRight;
  }

  /** The joined value of a left value and a right value of one key. */
  public Object both(Object left, Object right) {
    return Pair.of(keepsRight ? Optional.ofNullable(left) : left, keepsLeft ? Optional.ofNullable(right) : right);
  }

  /** The joined value of a left value whose key has no right value ({@link #keepsLeftOnly} only). */
  public Object leftOnly(Object left) {
    return Pair.of(keepsRight ? Optional.ofNullable(left) : left, Optional.empty());
  }

  /** The joined value of a right value whose key has no left value ({@link #keepsRightOnly} only). */
  public Object rightOnly(Object right) {
    return Pair.of(Optional.empty(), keepsLeft ? Optional.ofNullable(right) : right);
  }

  /**
   * The joined records of one cogroup record {@code Pair(key, [left values, right values])}:
   * {@code Pair(key, joined value)} each.
   */
  public Iterator<Object> pairs(Pair<?, List<List<Object>>> cogrouped) {
    Object key = cogrouped.key();
    List<Object> left = cogrouped.value().get(0);
    List<Object> right = cogrouped.value().get(1);
    List<Object> out = new ArrayList<>();
    if (right.isEmpty()) {
      if (keepsLeft) {
        left.forEach(v -> out.add(Pair.of(key, leftOnly(v))));
      }
    } else if (left.isEmpty()) {
      if (keepsRight) {
        right.forEach(w -> out.add(Pair.of(key, rightOnly(w))));
      }
    } else {
      for (Object v : left) {
        for (Object w : right) {
          out.add(Pair.of(key, both(v, w)));
        }
      }
    }
    return out.iterator();
  }

  /** The narrow step that turns cogroup records into this join's records. */
  @SuppressWarnings("unchecked")
  public Step pairing() {
    io.dflow.api.function.FlatMapFunction<Pair<?, List<List<Object>>>, Object> fn = this::pairs;
    return Steps.flatMap(step, fn);
  }
}
