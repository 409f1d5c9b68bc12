package io.dflow.executor.net;

import java.io.IOException;

/** Where a served block's bytes are: a region of a file (sent zero-copy) or an array in memory. */
public sealed interface BlockData permits BlockRegion, HeapBlock {
  /** The block's length in bytes. */
  long length();

  /** A copy of the block's bytes (for a reader on the executor that holds it). */
  byte[] readAll() throws IOException;
}
