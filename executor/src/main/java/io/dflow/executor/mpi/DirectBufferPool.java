package io.dflow.executor.mpi;

/**
 * Staging buffers in power-of-two size classes, reused from call to call: a buffer given back
 * is kept for the next {@link #take} of its class and never freed, so a rank that repeats a
 * collective allocates its staging memory once. A call holds at most two buffers at a time,
 * so two are kept per class.
 *
 * <p>Threading: one thread at a time (the rank's task thread).
 */
final class DirectBufferPool {
  private static final int MIN_SHIFT = 12;
  private static final int MAX_SHIFT = 30;

  private final StagingBuffer[] first = new StagingBuffer[MAX_SHIFT + 1];
  private final StagingBuffer[] second = new StagingBuffer[MAX_SHIFT + 1];

  /** A buffer of at least {@code bytes} bytes. */
  StagingBuffer take(int bytes) {
    int shift = shiftFor(bytes);
    if (shift > MAX_SHIFT) {
      return new StagingBuffer(bytes);
    }
    StagingBuffer buf = first[shift];
    if (buf != null) {
      first[shift] = null;
      return buf;
    }
    buf = second[shift];
    if (buf != null) {
      second[shift] = null;
      return buf;
    }
    return new StagingBuffer(1 << shift);
  }

  /** Takes {@code buf} back for reuse; null is ignored. */
  void give(StagingBuffer buf) {
    if (buf == null || Integer.bitCount(buf.capacity()) != 1) {
      return;
    }
    int shift = Integer.numberOfTrailingZeros(buf.capacity());
    if (shift < MIN_SHIFT || shift > MAX_SHIFT) {
      return;
    }
    if (first[shift] == null) {
      first[shift] = buf;
    } else if (second[shift] == null) {
      second[shift] = buf;
    }
  }

  private static int shiftFor(int bytes) {
    int shift = bytes <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(bytes - 1);
    return Math.max(MIN_SHIFT, shift);
  }
}
