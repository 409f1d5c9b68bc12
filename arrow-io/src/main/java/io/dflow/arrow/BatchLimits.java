package io.dflow.arrow;

/**
 * When a writer closes a record batch: after {@code maxRows} records or once the batch holds
 * at least {@code maxBytes} of encoded values, whichever comes first. The byte bound keeps
 * batches of large values small and Arrow's 32-bit offsets far from overflowing.
 */
public record BatchLimits(int maxRows, long maxBytes) {
  /** Most bytes a batch may be asked to hold; single values larger than 2 GiB cannot be written. */
  public static final long MAX_BYTES = 256L << 20;

  /** 8192 rows or 8 MiB. */
  public static final BatchLimits DEFAULT = new BatchLimits(8192, 8L << 20);

  public BatchLimits {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1: " + maxRows);
    }
    if (maxBytes < 1 || maxBytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "maxBytes must be between 1 and " + MAX_BYTES + ": " + maxBytes);
    }
  }
}
