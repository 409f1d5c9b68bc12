package io.dflow.executor.storage;

import io.dflow.executor.serde.JavaSerde;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The broadcast values an executor has fetched: each one fetched from the driver and
 * deserialised once, by the first task that asks, then shared by every task of the executor.
 * Thread-safe.
 */
public final class BroadcastCache {
  /** Where broadcast bytes come from: the driver. */
  @FunctionalInterface
  public interface Source {
    byte[] fetch(long id) throws IOException;
  }

  private final Source source;
  private final ConcurrentHashMap<Long, CompletableFuture<Object>> values = new ConcurrentHashMap<>();

  public BroadcastCache(Source source) {
    this.source = source;
  }

  /** The value of broadcast {@code id}, its classes resolved with {@code loader} (the job's). */
  public Object value(long id, ClassLoader loader) throws IOException {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> value = values.putIfAbsent(id, mine);
    if (value == null) {
      value = mine;
      try {
        mine.complete(JavaSerde.deserialize(source.fetch(id), loader, Object.class));
      } catch (IOException | RuntimeException e) {
        values.remove(id, mine);
        mine.completeExceptionally(e);
      }
    }
    try {
      return value.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching broadcast " + id, e);
    } catch (ExecutionException e) {
      throw new IOException("cannot fetch broadcast " + id + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  public void drop(long id) {
    values.remove(id);
  }
}
