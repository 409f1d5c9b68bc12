package io.dflow.arrow;

import java.util.Arrays;

/**
 * Which places of a stream are worth compressing, from what compressing them saved lately. A
 * place is where a buffer stands in each of a stream's batches (a column's validity, offsets
 * or data), or the one place of a run's blocks. After {@value #MISSES_BEFORE_SKIPPING} tries in a
 * row at a place saved less than {@link #WORTHWHILE} of the bytes, the place is stored raw,
 * untried, for 1, then 2, 4 and at most {@value #MAX_RAW} of its buffers before the next try, as
 * file systems that compress give up on incompressible data: random, hashed or already
 * compressed values then cost a copy, not a compressor's pass.
 *
 * <p>Not thread safe: one writer's.
 */
final class CompressionSkips {
  static final int MISSES_BEFORE_SKIPPING = 2;
  static final int MAX_RAW = 16;
  /** A buffer whose stored form is at most this share of it paid for its compression. */
  static final double WORTHWHILE = 0.97;

  private int[] misses = new int[8];
  private int[] rawLeft = new int[8];

  /** Whether to try compressing the next buffer at {@code place}; if not, it is stored raw. */
  boolean worthTrying(int place) {
    if (place >= misses.length) {
      misses = Arrays.copyOf(misses, 2 * place);
      rawLeft = Arrays.copyOf(rawLeft, 2 * place);
    }
    if (rawLeft[place] > 0) {
      rawLeft[place]--;
      return false;
    }
    return true;
  }

  /** What compressing {@code raw} bytes at {@code place} stored ({@code stored} bytes, compressed or not). */
  void tried(int place, long raw, long stored) {
    if (raw == 0) {
      return;
    }
    if (stored <= WORTHWHILE * raw) {
      misses[place] = 0;
    } else if (++misses[place] >= MISSES_BEFORE_SKIPPING) {
      rawLeft[place] = 1 << Math.min(misses[place] - MISSES_BEFORE_SKIPPING, Integer.numberOfTrailingZeros(MAX_RAW));
    }
  }
}
