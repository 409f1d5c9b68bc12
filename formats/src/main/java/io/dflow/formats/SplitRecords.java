package io.dflow.formats;

import java.io.Closeable;
import java.util.Iterator;

/**
 * The records of one input split in one file format, read as they are asked for. I/O errors
 * surface as {@link java.io.UncheckedIOException}s naming the file and position. Not thread safe.
 */
public interface SplitRecords extends Iterator<Object>, Closeable {
  /** Where the record last returned came from, for error messages: {@code file F at byte offset N}. */
  String describePosition();
}
