package io.dflow.executor.shuffle;

import io.dflow.executor.net.BlockData;
import io.dflow.executor.net.BlockResolver;
import io.dflow.executor.net.HeapBlock;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.TransportClient;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.protocol.ExecutorId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches blocks: from this executor's own stores when it holds them, else from the executor
 * that does, over one authenticated connection per peer (opened on first use and reused by
 * every task).
 */
public final class NetworkFetcher implements BlockFetcher, AutoCloseable {
  private final ExecutorId self;
  private final BlockResolver local;
  private final java.util.function.Predicate<String> heldHere;
  private final TransportConf transport;
  private final Map<String, TransportClient> peers = new ConcurrentHashMap<>();

  /**
   * @param local this executor's own blocks
   * @param transport null when there are no peers (every block is local)
   */
  public NetworkFetcher(ExecutorId self, BlockResolver local, TransportConf transport) {
    this(self, local, blockId -> true, transport);
  }

  /**
   * @param heldHere which of {@code self}'s blocks this process holds ({@code local} resolves
   *     them); the others are fetched from {@code self}'s block server like a peer's (an MPI rank
   *     reads its executor's shuffle files, but not the partitions cached in that executor's memory)
   */
  public NetworkFetcher(ExecutorId self, BlockResolver local, java.util.function.Predicate<String> heldHere,
      TransportConf transport) {
    this.self = self;
    this.local = local;
    this.heldHere = heldHere;
    this.transport = transport;
  }

  @Override
  public CompletableFuture<BlockData> fetch(ExecutorId executor, String address, int port, String blockId) {
    return fetch(executor, address, port, blockId,
        client -> client.fetch(blockId).thenApply(bytes -> new HeapBlock(bytes, bytes.length)));
  }

  @Override
  public CompletableFuture<BlockData> fetchToFile(ExecutorId executor, String address, int port, String blockId,
      java.nio.file.Path file) {
    return fetch(executor, address, port, blockId, client -> client.fetchToFile(blockId, file));
  }

  /** The block from this executor's own store, or from the peer holding it by {@code remote}. */
  private CompletableFuture<BlockData> fetch(ExecutorId executor, String address, int port, String blockId,
      java.util.function.Function<TransportClient, CompletableFuture<BlockData>> remote) {
    try {
      if (executor.equals(self) && heldHere.test(blockId)) {
        return CompletableFuture.completedFuture(local.resolve(blockId));
      }
      return remote.apply(peer(executor, address, port));
    } catch (UncheckedIOException e) {
      // an unreachable peer fails like a missing block: with an IOException
      return CompletableFuture.failedFuture(new IOException(e.getMessage(), e.getCause()));
    } catch (IOException | IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public boolean holdsLocally(ExecutorId executor) {
    return executor.equals(self);
  }

  private TransportClient peer(ExecutorId executor, String address, int port) {
    if (transport == null) {
      throw new IllegalStateException("block of executor " + executor
          + " requested, but this executor has no peers");
    }
    return peers.compute(address + ":" + port, (key, client) -> {
      if (client != null && client.connection().isOpen()) {
        return client;
      }
      try {
        MessageHandler none = (conn, body) -> { };
        return TransportClient.connect(address, port, transport, none);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot reach executor " + executor + " at "
            + key + ": " + e.getMessage(), e);
      }
    });
  }

  @Override
  public void close() {
    peers.values().forEach(TransportClient::close);
    peers.clear();
  }
}
