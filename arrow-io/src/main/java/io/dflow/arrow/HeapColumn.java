package io.dflow.arrow;

import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;

/**
 * The batch loaded in a variable-width vector, copied onto the heap in three bulk copies
 * (validity, offsets, values) when it is loaded, so that each value read is one array copy.
 * Reading each value out of Arrow memory instead costs bounds and reference checks and an
 * off-heap copy per value, which for short keys and values (a word, a count) was most of the
 * reduce side's decoding. Reads exactly what the vector's {@code isNull} and {@code get} would.
 *
 * <p>Not thread safe: one reader's.
 */
final class HeapColumn {
  private final BaseVariableWidthVector vector;
  private byte[] validity = new byte[0];
  private int[] offsets = new int[1];
  private byte[] values = new byte[0];
  private boolean loaded;
  /** Values longer than this on average are read from the vector, not copied. */
  static final int MAX_MEAN_BYTES = 256;

  HeapColumn(BaseVariableWidthVector vector) {
    this.vector = vector;
  }

  /**
   * Copies the batch now in the vector, and from now on reads come from the copy; unless its
   * values are long (more than {@value #MAX_MEAN_BYTES} bytes on average), where two copies of
   * every byte cost more than each value's checks: then the vector is read directly.
   */
  void load() {
    int rows = vector.getValueCount();
    loaded = true;
    if (rows == 0) {
      return;
    }
    long valueBytes = vector.getOffsetBuffer().getInt((long) rows * BaseVariableWidthVector.OFFSET_WIDTH);
    if (valueBytes > (long) rows * MAX_MEAN_BYTES) {
      loaded = false;
      return;
    }
    int validityBytes = (rows + 7) >>> 3;
    if (validity.length < validityBytes) {
      validity = new byte[Math.max(validityBytes, validity.length * 2)];
    }
    vector.getValidityBuffer().getBytes(0, validity, 0, validityBytes);
    if (offsets.length < rows + 1) {
      offsets = new int[Math.max(rows + 1, offsets.length * 2)];
    }
    ArrowBuf offsetBuffer = vector.getOffsetBuffer();
    offsetBuffer.nioBuffer(0, (rows + 1) * BaseVariableWidthVector.OFFSET_WIDTH)
        .order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(offsets, 0, rows + 1);
    int end = offsets[rows];
    if (values.length < end) {
      values = new byte[Math.max(end, values.length * 2)];
    }
    if (end > 0) {
      vector.getDataBuffer().getBytes(0, values, 0, end);
    }
  }

  /** Whether the batch was copied: if not (before {@link #load}, or its values are long), the vector is read directly. */
  boolean loaded() {
    return loaded;
  }

  boolean isNull(int row) {
    return (validity[row >>> 3] & (1 << (row & 7))) == 0;
  }

  /** The value at {@code row}, a new array (not null-checked: see {@link #isNull}). */
  byte[] bytes(int row) {
    return Arrays.copyOfRange(values, offsets[row], offsets[row + 1]);
  }

  /** The array the values are in, valid until the next {@link #load}; with {@link #start} and {@link #length}. */
  byte[] values() {
    return values;
  }

  int start(int row) {
    return offsets[row];
  }

  int length(int row) {
    return offsets[row + 1] - offsets[row];
  }
}
