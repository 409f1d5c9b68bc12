package io.dflow.hdfs;

import java.io.Closeable;
import java.io.IOException;

/** The lines one segment of a split owns, as {@link TextSplitReader} reads them. Not thread safe. */
interface SegmentLines extends Closeable {
  /** The next line, without its terminator, in {@code form}, or null at the segment's end. */
  <T> T readLine(TextSplitReader.LineForm<T> form) throws IOException;

  /** Where the line last returned starts, as the segment counts positions, or -1 before the first. */
  long lineStart();

  String path();
}
