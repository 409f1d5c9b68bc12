package io.dflow.executor.protocol;

import java.io.Serializable;

/** An executor holding partition {@code partition} of cached dataset {@code node}: where a task that misses it locally fetches it. */
public record CachedBlockLocation(int node, int partition, ExecutorId executor, String address, int port)
    implements Serializable {}
