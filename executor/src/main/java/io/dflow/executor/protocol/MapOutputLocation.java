package io.dflow.executor.protocol;

import java.io.Serializable;

/**
 * Where map task {@code mapIndex} of a shuffle left its output: the attempt that wrote it (whose
 * task id names the file), the executor that serves it, and the bytes of each reduce
 * partition's segment (null when not known), by which reducers bound what they fetch at once.
 */
public record MapOutputLocation(int mapIndex, long taskId, ExecutorId executor, String address, int port,
    long[] partitionBytes) implements Serializable {

  /** A location whose segment sizes are not known. */
  public MapOutputLocation(int mapIndex, long taskId, ExecutorId executor, String address, int port) {
    this(mapIndex, taskId, executor, address, port, null);
  }

  /** The bytes of reduce partition {@code p}'s segment, or {@code unknown} when sizes are not known. */
  public long bytesOf(int p, long unknown) {
    return partitionBytes == null || p >= partitionBytes.length ? unknown : partitionBytes[p];
  }
}
