package io.dflow.driver.scheduler;

import io.dflow.executor.protocol.JobId;
import io.dflow.executor.protocol.StageAttemptId;

/**
 * A stage as listeners see it.
 *
 * @param job the job it runs for
 * @param label for progress lines: {@code job 0 stage 1 (textFile in -> flatMap -> mapToPair)}
 * @param tasks the tasks of this attempt (the stage's missing partitions)
 */
public record StageInfo(JobId job, StageAttemptId attempt, String label, int tasks) {}
