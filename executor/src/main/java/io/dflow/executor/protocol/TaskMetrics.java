package io.dflow.executor.protocol;

import java.io.Serializable;

/**
 * Counters one task reports: records through it, bytes read and written (shuffle bytes as
 * stored, and as they would be uncompressed), run time, and how its sorters fared: spills, the
 * bytes of its spill files, the most execution memory it held; and the garbage collection time of
 * its executor's JVM while it ran (shared by the tasks running beside it, as in Spark).
 */
public record TaskMetrics(long recordsOut, long inputBytes, long shuffleBytesRead,
    long shuffleBytesWritten, long runMillis, long spills, long spillBytes, long peakMemory,
    long shuffleRawBytesRead, long shuffleRawBytesWritten, long gcMillis)
    implements Serializable {
  public static final TaskMetrics NONE = new TaskMetrics(0, 0, 0, 0, 0);

  /** Metrics with no garbage collection time measured. */
  public TaskMetrics(long recordsOut, long inputBytes, long shuffleBytesRead, long shuffleBytesWritten,
      long runMillis, long spills, long spillBytes, long peakMemory, long shuffleRawBytesRead,
      long shuffleRawBytesWritten) {
    this(recordsOut, inputBytes, shuffleBytesRead, shuffleBytesWritten, runMillis, spills, spillBytes, peakMemory,
        shuffleRawBytesRead, shuffleRawBytesWritten, 0);
  }

  /** Metrics of a task that did not spill, whose shuffle bytes were not compressed. */
  public TaskMetrics(long recordsOut, long inputBytes, long shuffleBytesRead, long shuffleBytesWritten,
      long runMillis) {
    this(recordsOut, inputBytes, shuffleBytesRead, shuffleBytesWritten, runMillis, 0, 0, 0, shuffleBytesRead,
        shuffleBytesWritten);
  }

  /** The sum of two tasks' counters; the peak memory is the larger of the two. */
  public TaskMetrics plus(TaskMetrics o) {
    return new TaskMetrics(recordsOut + o.recordsOut, inputBytes + o.inputBytes,
        shuffleBytesRead + o.shuffleBytesRead, shuffleBytesWritten + o.shuffleBytesWritten,
        runMillis + o.runMillis, spills + o.spills, spillBytes + o.spillBytes, Math.max(peakMemory, o.peakMemory),
        shuffleRawBytesRead + o.shuffleRawBytesRead, shuffleRawBytesWritten + o.shuffleRawBytesWritten,
        gcMillis + o.gcMillis);
  }

  /** These metrics with {@code gc} milliseconds of garbage collection. */
  public TaskMetrics withGcMillis(long gc) {
    return new TaskMetrics(recordsOut, inputBytes, shuffleBytesRead, shuffleBytesWritten, runMillis, spills,
        spillBytes, peakMemory, shuffleRawBytesRead, shuffleRawBytesWritten, gc);
  }
}
