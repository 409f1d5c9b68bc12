package io.dflow.executor.shuffle;

import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.net.BlockData;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches one block (a shuffle segment, a cached partition) from the executor that holds it,
 * which may be this one.
 */
@FunctionalInterface
public interface BlockFetcher {
  /**
   * @return where the block's bytes are (a region of a local file for this executor's own
   *     blocks, not read yet; an array for another's), or completes exceptionally with an
   *     {@link java.io.IOException} saying why (unknown block, unreachable executor)
   */
  CompletableFuture<BlockData> fetch(ExecutorId executor, String address, int port, String blockId);

  /**
   * As {@link #fetch}, but a block fetched from another executor is written to {@code file} as
   * it arrives (never whole on the heap) and given as that file's region; the caller deletes the
   * file. A fetcher without a disk path fetches as {@link #fetch} does.
   */
  default CompletableFuture<BlockData> fetchToFile(ExecutorId executor, String address, int port, String blockId,
      java.nio.file.Path file) {
    return fetch(executor, address, port, blockId);
  }

  /** Whether blocks of {@code executor} are this process's own, read from its files rather than fetched. */
  default boolean holdsLocally(ExecutorId executor) {
    return false;
  }
}
