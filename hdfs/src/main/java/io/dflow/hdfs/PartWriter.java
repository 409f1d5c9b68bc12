package io.dflow.hdfs;

import java.io.Closeable;
import java.io.IOException;

/** Writes the records of one part file in one format; {@link #close()} finishes the file. Not thread safe. */
public interface PartWriter extends Closeable {
  void write(Object record) throws IOException;
}
