package io.dflow.arrow;

import java.io.IOException;

/** Reads the values of one column from the Arrow vector it was bound to. */
interface ColumnReader {
  /** The value at {@code row} of the batch currently loaded in the vector; null if unset. */
  Object read(int row) throws IOException;

  /**
   * Called by a reader that loads batch after batch into the vector, after each load: a column
   * may then copy the batch into a form cheaper to read. A column never told reads the vector
   * as it is at each {@link #read}.
   */
  default void batchLoaded() {}
}
