package io.dflow.executor;

import java.nio.file.Path;

/**
 * Who an executor is and what it has: its id, the host name it advertises (used for
 * locality), its task slots and the local directory for shuffle files and jars.
 */
public record ExecutorConf(String executorId, String host, int slots, Path localDir) {
  public ExecutorConf {
    if (slots < 1) {
      throw new IllegalArgumentException("an executor needs at least one slot, got " + slots);
    }
  }
}
