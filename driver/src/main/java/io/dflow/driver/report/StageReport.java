package io.dflow.driver.report;

import java.util.List;
import java.util.Map;

/**
 * One attempt of a stage: what it is, how it ended, and what its tasks did.
 *
 * @param job the job it ran for, or -1 when the log does not say
 * @param parents the stages whose output it reads
 * @param status {@code succeeded}, {@code failed}, {@code skipped} (its output existed) or
 *     {@code running} (the log ends before it does)
 * @param tasks the tasks of the attempt, as submitted
 * @param durationMillis how long the attempt ran, or -1 while it runs
 * @param taskMillis the run times of its successful tasks, null with none
 * @param locality successful tasks by locality level ({@code NODE_LOCAL}...)
 * @param counters the counters of its successful tasks, summed
 * @param submittedMillis when it was submitted, in milliseconds since the application started; -1 when the log does
 *     not say
 */
public record StageReport(int job, int stage, int attempt, String label, List<Integer> parents, String status,
    String error, int tasks, int succeeded, int failedAttempts, long durationMillis, Quantiles taskMillis,
    long recordsOut, long inputBytes, long shuffleBytesRead, long shuffleBytesWritten, long spills, long spillBytes,
    long gcMillis, long taskMillisTotal, Map<String, Integer> locality, Map<String, Long> counters,
    long submittedMillis) {}
