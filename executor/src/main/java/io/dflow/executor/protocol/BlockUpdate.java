package io.dflow.executor.protocol;

import java.io.Serializable;

/** A cached partition stored on, or dropped from, the reporting executor. */
public record BlockUpdate(int node, int partition, boolean stored) implements Serializable {}
