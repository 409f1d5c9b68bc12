package io.dflow.executor.protocol;

import java.io.Serializable;

/** Where map task {@code mapIndex} of a shuffle left its output: the executor that serves it. */
public record MapOutputLocation(int mapIndex, String executorId, String address, int port)
    implements Serializable {}
