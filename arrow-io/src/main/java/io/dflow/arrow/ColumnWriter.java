package io.dflow.arrow;

import java.io.IOException;

/** Writes the values of one column, row by row, into the Arrow vector it was bound to. */
interface ColumnWriter {
  /**
   * Sets {@code row} to {@code value} (null allowed), growing the vector as needed.
   *
   * @return the bytes this value adds to the batch, for sizing batches
   * @throws ClassCastException if the value is not of the column's type
   */
  long write(int row, Object value) throws IOException;

  /**
   * Makes the vector hold every row written since the last {@link #clearBatch}, before its row
   * count is set and the batch is read: a column may gather its rows elsewhere until then.
   * Calling it again without a {@link #clearBatch} copies the same rows again.
   */
  default void completeBatch() {}

  /**
   * Starts a new batch: the rows written so far are forgotten and the vector emptied, keeping
   * its buffers.
   */
  void clearBatch();
}
