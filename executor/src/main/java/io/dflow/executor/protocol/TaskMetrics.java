package io.dflow.executor.protocol;

import java.io.Serializable;

/** Counters one task reports: records through it, bytes read and written, run time. */
public record TaskMetrics(long recordsOut, long inputBytes, long shuffleBytesRead,
    long shuffleBytesWritten, long runMillis) implements Serializable {
  public static final TaskMetrics NONE = new TaskMetrics(0, 0, 0, 0, 0);

  public TaskMetrics plus(TaskMetrics o) {
    return new TaskMetrics(recordsOut + o.recordsOut, inputBytes + o.inputBytes,
        shuffleBytesRead + o.shuffleBytesRead, shuffleBytesWritten + o.shuffleBytesWritten,
        runMillis + o.runMillis);
  }
}
