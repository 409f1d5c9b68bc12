package io.dflow.executor.shuffle;

import io.dflow.executor.protocol.ExecutorId;
import io.dflow.planner.ShuffleId;
import java.io.IOException;

/**
 * A map output could not be fetched, or arrived damaged: the task cannot go on, and the map task
 * that wrote it must run again. The scheduler hears of it as a fetch failure.
 */
public final class FetchFailedException extends IOException {
  private final ShuffleId shuffle;
  private final int mapIndex;
  private final ExecutorId executor;

  /** @param mapIndex -1 when the task was given no map outputs for the shuffle at all */
  public FetchFailedException(ShuffleId shuffle, int mapIndex, ExecutorId executor, String message,
      Throwable cause) {
    super(message, cause);
    this.shuffle = shuffle;
    this.mapIndex = mapIndex;
    this.executor = executor;
  }

  public ShuffleId shuffle() {
    return shuffle;
  }

  public int mapIndex() {
    return mapIndex;
  }

  public ExecutorId executor() {
    return executor;
  }
}
