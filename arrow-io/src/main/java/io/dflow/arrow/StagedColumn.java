package io.dflow.arrow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.vector.BaseVariableWidthVector;

/**
 * A batch of a variable-width column gathered on the heap, row after row, in the layout of
 * Arrow's three buffers (validity bits, little-endian offsets, values), and copied into the
 * vector in three bulk copies when the batch is complete. Setting each value in the vector
 * instead costs a capacity check, bounds checks and an off-heap copy per value, which for short
 * values (a word, a count) was most of the cost of encoding a map output.
 *
 * <p>Not thread safe: one writer's.
 */
final class StagedColumn {
  private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int OFFSET = BaseVariableWidthVector.OFFSET_WIDTH;
  /** Largest array the JVM is sure to allocate. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final BaseVariableWidthVector vector;
  private byte[] validity = new byte[128];
  private byte[] offsets = new byte[OFFSET * 1025];
  private byte[] values = new byte[16 << 10];
  private int rows;
  private int fill;

  StagedColumn(BaseVariableWidthVector vector) {
    this.vector = vector;
  }

  /** Appends {@code bytes[0 .. length)} as row {@code row}, which must be the next row (or the last again). */
  void add(int row, byte[] bytes, int length) {
    next(row, true);
    if (length > values.length - fill) {
      values = Arrays.copyOf(values, grown(values.length, (long) fill + length));
    }
    System.arraycopy(bytes, 0, values, fill, length);
    fill += length;
    INT_LE.set(offsets, (row + 1) * OFFSET, fill);
  }

  /** Appends a null as row {@code row}, which must be the next row (or the last again). */
  void addNull(int row) {
    next(row, false);
    INT_LE.set(offsets, (row + 1) * OFFSET, fill);
  }

  private void next(int row, boolean set) {
    if (row == rows - 1) {
      // the last row again: a record whose other column failed is written anew, as a vector allows
      rows = row;
      fill = (int) INT_LE.get(offsets, row * OFFSET);
      validity[row >>> 3] &= (byte) ~(1 << (row & 7));
    }
    if (row != rows) {
      throw new IllegalStateException("rows are written in order: expected row " + rows + ", got " + row);
    }
    if ((row >>> 3) >= validity.length) {
      validity = Arrays.copyOf(validity, grown(validity.length, (row >>> 3) + 1L));
    }
    if ((long) (row + 2) * OFFSET > offsets.length) {
      offsets = Arrays.copyOf(offsets, grown(offsets.length, (long) (row + 2) * OFFSET));
    }
    if (set) {
      validity[row >>> 3] |= (byte) (1 << (row & 7));
    }
    rows++;
  }

  private static int grown(int length, long needed) {
    if (needed > MAX_ARRAY) {
      throw new IllegalArgumentException("a batch column cannot hold more than " + MAX_ARRAY + " bytes");
    }
    return (int) Math.max(needed, Math.min(MAX_ARRAY, 2L * length));
  }

  /** Copies the rows gathered into the vector (which holds no rows yet): it then reads as if each was set in it. */
  void copyToVector() {
    if (rows == 0) {
      return;
    }
    while (vector.getValueCapacity() < rows) {
      vector.reallocValidityAndOffsetBuffers();
    }
    if (vector.getDataBuffer().capacity() < fill) {
      vector.reallocDataBuffer(fill);
    }
    vector.getValidityBuffer().setBytes(0, validity, 0, (rows + 7) >>> 3);
    vector.getOffsetBuffer().setBytes(0, offsets, 0, (long) (rows + 1) * OFFSET);
    vector.getDataBuffer().setBytes(0, values, 0, fill);
    vector.setLastSet(rows - 1);
  }

  /** Forgets the rows gathered, keeping the arrays for the next batch. */
  void clear() {
    Arrays.fill(validity, 0, (rows + 7) >>> 3, (byte) 0);
    rows = 0;
    fill = 0;
  }
}
