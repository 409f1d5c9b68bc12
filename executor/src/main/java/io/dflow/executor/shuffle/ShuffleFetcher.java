package io.dflow.executor.shuffle;

import io.dflow.executor.protocol.MapOutputLocation;
import java.util.concurrent.CompletableFuture;

/** Fetches one shuffle block (one map output's segment for one reduce partition) from where it lives. */
@FunctionalInterface
public interface ShuffleFetcher {
  CompletableFuture<byte[]> fetch(MapOutputLocation from, String blockId);
}
