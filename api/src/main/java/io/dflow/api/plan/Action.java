package io.dflow.api.plan;

import io.dflow.api.UserCodeException;
import io.dflow.api.function.ReduceFunction;
import io.dflow.api.function.VoidFunction;

/**
 * What a job's last stage does with its records: the action that triggered the job. Each
 * result task turns its partition into a small value (or writes it out); the driver combines
 * those values into the action's result.
 */
public sealed interface Action extends java.io.Serializable {

  /**
   * Files in {@code format}, one {@code part-NNNNN} per partition, committed all-or-nothing;
   * {@code encoder} lays out the records of typed formats.
   */
  record Save(String path, FileFormat format, io.dflow.api.Encoder<?> encoder) implements Action {}

  /** Counts the records. */
  record Count() implements Action {}

  /** Brings the records to the driver, failing once they pass {@code maxBytes}. */
  record Collect(long maxBytes) implements Action {}

  /**
   * The first {@code n} records in partition order: partitions are scanned a few at a time,
   * each task sending back at most {@code n} records.
   */
  record Take(int n, long maxBytes) implements Action {
    public Take {
      if (n < 0) {
        throw new IllegalArgumentException("take needs a count of at least 0, got " + n);
      }
    }
  }

  /** Merges all records with {@code fn}: each task its partition, the driver the partial results. */
  record Reduce(ReduceFunction<Object> fn) implements Action {
    /** {@code fn(a, b)}, what it throws unchecked. */
    public Object merge(Object a, Object b) {
      return call(fn, a, b);
    }
  }

  /** Like {@link Reduce}, starting from {@code zero} in every partition and on the driver. */
  record Fold(Object zero, ReduceFunction<Object> fn) implements Action {
    /** {@code fn(a, b)}, what it throws unchecked. */
    public Object merge(Object a, Object b) {
      return call(fn, a, b);
    }
  }

  private static Object call(ReduceFunction<Object> fn, Object a, Object b) {
    try {
      return fn.apply(a, b);
    } catch (Exception e) {
      throw UserCodeException.of(e);
    }
  }

  /** Calls {@code fn} on every record, on the executors. */
  record Foreach(VoidFunction<Object> fn) implements Action {}

  /** Plan text for the action. */
  default String describe() {
    if (this instanceof Save s) {
      return s.format().saveName() + " " + s.path();
    }
    if (this instanceof Collect c) {
      return "collect (limit " + c.maxBytes() + " bytes)";
    }
    if (this instanceof Take t) {
      return "take " + t.n();
    }
    if (this instanceof Reduce) {
      return "reduce";
    }
    if (this instanceof Fold) {
      return "fold";
    }
    if (this instanceof Foreach) {
      return "foreach";
    }
    return "count";
  }
}
