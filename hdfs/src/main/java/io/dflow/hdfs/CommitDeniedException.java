package io.dflow.hdfs;

import java.io.IOException;

/**
 * A task attempt was not allowed to commit its output: another attempt of its partition (a
 * speculative copy, or the original) holds the right. Its own output was discarded; the attempt
 * ends as killed, not as a failure.
 */
public class CommitDeniedException extends IOException {
  private static final long serialVersionUID = 1L;

  public CommitDeniedException(String message) {
    super(message);
  }
}
