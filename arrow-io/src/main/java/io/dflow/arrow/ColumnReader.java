package io.dflow.arrow;

import java.io.IOException;

/** Reads the values of one column from the Arrow vector it was bound to. */
interface ColumnReader {
  /** The value at {@code row} of the batch currently loaded in the vector; null if unset. */
  Object read(int row) throws IOException;
}
