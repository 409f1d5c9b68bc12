package io.dflow.driver.report;

/**
 * One task attempt as the report shows it.
 *
 * @param startMillis when it started, in milliseconds since the application started (its end
 *     as logged less its run time)
 * @param lane its row among its executor's task slots in the timeline
 * @param reason {@code Success}, or how it failed ({@code Failed}, {@code FetchFailed}, {@code Killed}...)
 * @param message why it failed, or null
 */
public record TaskRun(int stage, int stageAttempt, int partition, int attempt, long task, String executor,
    long startMillis, long runMillis, long gcMillis, String reason, String message, String locality,
    long recordsOut, long inputBytes, long shuffleBytesRead, long shuffleBytesWritten, long spills,
    long spillBytes, int lane) {
  public boolean succeeded() {
    return "Success".equals(reason);
  }

  public long endMillis() {
    return startMillis + runMillis;
  }

  /** The bytes it read: its input split and the shuffle blocks it fetched. */
  public long bytesRead() {
    return inputBytes + shuffleBytesRead;
  }

  TaskRun inLane(int l) {
    return new TaskRun(stage, stageAttempt, partition, attempt, task, executor, startMillis, runMillis, gcMillis,
        reason, message, locality, recordsOut, inputBytes, shuffleBytesRead, shuffleBytesWritten, spills, spillBytes,
        l);
  }
}
