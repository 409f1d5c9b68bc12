package io.dflow.api.plan;

import java.io.Serializable;
import java.util.Iterator;

/**
 * A narrow step as an iterator transform. The planner fuses consecutive steps into one
 * pipeline per task by composing their {@link #apply} calls; no records are materialised
 * between them.
 */
public interface Step extends Serializable {
  /** Transforms the records of partition {@code partition} (the index of the dataset this step makes). */
  Iterator<Object> apply(int partition, Iterator<Object> input);

  /** The user-facing name of the step, for plans and errors: {@code map}, {@code filter}, ... */
  String name();
}
