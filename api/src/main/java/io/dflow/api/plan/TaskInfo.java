package io.dflow.api.plan;

/**
 * Which attempt of which task the current thread runs: what a child process is told about its
 * task (Hadoop Streaming's {@code mapreduce_task_attempt_id} and friends).
 *
 * @param stage the stage's number in the application
 * @param partition the partition the task computes
 * @param attempt the attempt number for that partition, 0 first
 * @param mapSide whether the task reads input files or writes a shuffle: a map task, in Hadoop's words
 * @param split the input split the task reads, or null when it reads no file
 */
public record TaskInfo(int stage, int partition, int attempt, boolean mapSide, FileSplit split) {
  /** A Hadoop-shaped attempt id, {@code m} for a map task, {@code r} else: {@code attempt_dflow_0003_m_000007_0}. */
  public String attemptId() {
    return String.format(java.util.Locale.ROOT, "attempt_dflow_%04d_%s_%06d_%d", stage, mapSide ? "m" : "r",
        partition, attempt);
  }
}
