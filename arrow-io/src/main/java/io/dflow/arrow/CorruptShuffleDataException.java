package io.dflow.arrow;

import java.io.IOException;

/**
 * Shuffle bytes (an index file or a segment) that do not have the expected structure: a
 * truncated or damaged file, a peer that sent garbage, or a segment written for another
 * encoder. The message names what was being read and, where known, the byte offset.
 */
public final class CorruptShuffleDataException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptShuffleDataException(String message) {
    super(message);
  }

  public CorruptShuffleDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
