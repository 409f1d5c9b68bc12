package io.dflow.executor.shuffle;

import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.TransportClient;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.protocol.MapOutputLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches shuffle blocks: from this executor's own store when it wrote them, else from the
 * executor that did, over one authenticated connection per peer (opened on first use and
 * reused by every task).
 */
public final class NetworkFetcher implements ShuffleFetcher, AutoCloseable {
  private final String selfId;
  private final ShuffleStore localStore;
  private final TransportConf transport;
  private final Map<String, TransportClient> peers = new ConcurrentHashMap<>();

  /** @param transport null when there are no peers (every block is local) */
  public NetworkFetcher(String selfId, ShuffleStore localStore, TransportConf transport) {
    this.selfId = selfId;
    this.localStore = localStore;
    this.transport = transport;
  }

  @Override
  public CompletableFuture<byte[]> fetch(MapOutputLocation from, String blockId) {
    try {
      if (from.executorId().equals(selfId)) {
        return CompletableFuture.completedFuture(localStore.read(blockId));
      }
      return peer(from).fetch(blockId);
    } catch (UncheckedIOException e) {
      // an unreachable peer fails like a missing block: with an IOException
      return CompletableFuture.failedFuture(new IOException(e.getMessage(), e.getCause()));
    } catch (IOException | IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private TransportClient peer(MapOutputLocation from) {
    if (transport == null) {
      throw new IllegalStateException("block of executor " + from.executorId()
          + " requested, but this executor has no peers");
    }
    return peers.compute(from.address() + ":" + from.port(), (key, client) -> {
      if (client != null && client.connection().isOpen()) {
        return client;
      }
      try {
        MessageHandler none = (conn, body) -> { };
        return TransportClient.connect(from.address(), from.port(), transport, none);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot reach executor " + from.executorId() + " at "
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
