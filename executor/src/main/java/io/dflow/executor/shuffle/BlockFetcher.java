package io.dflow.executor.shuffle;

import io.dflow.executor.protocol.ExecutorId;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches one block (a shuffle segment, a cached partition) from the executor that holds it,
 * which may be this one.
 */
@FunctionalInterface
public interface BlockFetcher {
  /**
   * @return the block's bytes, or completes exceptionally with an {@link java.io.IOException}
   *     saying why (unknown block, unreachable executor)
   */
  CompletableFuture<byte[]> fetch(ExecutorId executor, String address, int port, String blockId);
}
