package io.dflow.executor.protocol;

import java.io.Serializable;

/**
 * Where map task {@code mapIndex} of a shuffle left its output: the attempt that wrote it (whose
 * task id names the file) and the executor that serves it.
 */
public record MapOutputLocation(int mapIndex, long taskId, ExecutorId executor, String address, int port)
    implements Serializable {}
