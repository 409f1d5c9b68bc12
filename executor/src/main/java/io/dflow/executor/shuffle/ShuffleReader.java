package io.dflow.executor.shuffle;

import io.dflow.api.plan.ShuffleSpec;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.planner.ShuffleId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The reduce side of a shuffle: fetches this partition's segment of every map output (all
 * requests in flight at once), decodes them, and merges them by the shuffle's kind. A segment
 * that cannot be fetched or decoded is a {@link FetchFailedException} naming the map output.
 */
public final class ShuffleReader {
  /** Turns one fetched segment into records. */
  @FunctionalInterface
  public interface SegmentDecoder {
    void decode(byte[] segment, Consumer<Object> sink) throws IOException;
  }

  private ShuffleReader() {}

  /** The merged records of one reduce partition, and the bytes fetched for it. */
  public record Merged(Iterator<Object> records, long bytesFetched) {}

  /**
   * @param maps where each map output of the shuffle lives; null when the task was given none
   *     (the scheduler then recomputes the shuffle)
   */
  public static Merged read(ShuffleId shuffle, ShuffleSpec spec, int partition, List<MapOutputLocation> maps,
      BlockFetcher fetcher, SegmentDecoder decoder) throws IOException {
    if (maps == null) {
      throw new FetchFailedException(shuffle, -1, null, "no map outputs of shuffle " + shuffle
          + " are known to this task", null);
    }
    List<CompletableFuture<byte[]>> pending = new ArrayList<>(maps.size());
    for (MapOutputLocation map : maps) {
      pending.add(fetcher.fetch(map.executor(), map.address(), map.port(),
          BlockIds.shuffle(shuffle, map.mapIndex(), map.taskId(), partition)));
    }
    Merger merger = Merger.ofShuffle(spec);
    long bytes = 0;
    for (int i = 0; i < pending.size(); i++) {
      MapOutputLocation from = maps.get(i);
      byte[] segment = await(pending.get(i), from, shuffle, partition);
      bytes += segment.length;
      try {
        decoder.decode(segment, merger::addRecord);
      } catch (IOException e) {
        throw failure(shuffle, partition, from, "its segment is damaged: " + e.getMessage(), e);
      }
    }
    return new Merged(merger.result(), bytes);
  }

  private static byte[] await(CompletableFuture<byte[]> fetch, MapOutputLocation from, ShuffleId shuffle,
      int partition) throws IOException {
    try {
      return fetch.get();
    } catch (ExecutionException e) {
      throw failure(shuffle, partition, from, e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching shuffle blocks", e);
    }
  }

  private static FetchFailedException failure(ShuffleId shuffle, int partition, MapOutputLocation from,
      String why, Throwable cause) {
    return new FetchFailedException(shuffle, from.mapIndex(), from.executor(), "cannot fetch shuffle "
        + shuffle + " partition " + partition + " of map task " + from.mapIndex() + " from executor "
        + from.executor() + " (" + from.address() + ":" + from.port() + "): " + why, cause);
  }
}
