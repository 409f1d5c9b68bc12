package io.dflow.executor.protocol;

import java.io.Serializable;

/**
 * Names one attempt of one task: a number unique in the application ({@code taskId}, which also
 * names the files the attempt writes), its stage attempt, the partition it computes, and its
 * attempt number for that partition (0 first).
 */
public record TaskAttempt(long taskId, StageAttemptId stage, int partition, int attempt)
    implements Serializable {
  @Override
  public String toString() {
    return "stage " + stage + " task " + partition + " attempt " + attempt + " (tid " + taskId + ")";
  }
}
