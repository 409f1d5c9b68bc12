package io.dflow.executor.shuffle;

import io.dflow.arrow.CorruptShuffleDataException;
import io.dflow.arrow.SegmentReader;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.planner.ShuffleId;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;

/**
 * The reduce side of a shuffle, as a stream of records: this partition's segment of every map
 * output is fetched (as many at once as fit in {@code maxBytesInFlight}, and always at least
 * one), decoded when its turn comes and dropped once read. A segment that cannot be fetched or
 * decoded is a {@link FetchFailedException} naming the map output, thrown (wrapped in an
 * {@link UncheckedIOException}) by {@code hasNext} or {@code next}.
 */
public final class ShuffleReader implements Iterator<Object>, Closeable {
  /** Segment sizes that are not known count as this many bytes in flight. */
  static final long UNKNOWN_SEGMENT_BYTES = 1 << 20;

  /** Turns one fetched segment into records: a reader to close once read. */
  @FunctionalInterface
  public interface SegmentOpener {
    SegmentReader open(byte[] segment) throws IOException;
  }

  private final ShuffleId shuffle;
  private final int partition;
  private final List<MapOutputLocation> maps;
  private final BlockFetcher fetcher;
  private final SegmentOpener opener;
  private final long maxBytesInFlight;
  private final LongConsumer bytesFetched;
  private final Deque<CompletableFuture<byte[]>> inFlight = new ArrayDeque<>();
  private int requested;
  private int taken;
  private long bytesInFlight;
  private SegmentReader current;
  private Iterator<Object> records = Collections.emptyIterator();

  /**
   * @param maps where each map output of the shuffle lives; null when the task was given none
   *     (the scheduler then recomputes the shuffle)
   * @param bytesFetched told the size of each segment as it arrives
   */
  public ShuffleReader(ShuffleId shuffle, int partition, List<MapOutputLocation> maps, BlockFetcher fetcher,
      SegmentOpener opener, long maxBytesInFlight, LongConsumer bytesFetched) throws FetchFailedException {
    if (maps == null) {
      throw new FetchFailedException(shuffle, -1, null, "no map outputs of shuffle " + shuffle
          + " are known to this task", null);
    }
    this.shuffle = shuffle;
    this.partition = partition;
    this.maps = maps;
    this.fetcher = fetcher;
    this.opener = opener;
    this.maxBytesInFlight = maxBytesInFlight;
    this.bytesFetched = bytesFetched;
    request();
  }

  /** Sends fetches while they fit in the budget (at least one when none is in flight). */
  private void request() {
    while (requested < maps.size()) {
      MapOutputLocation map = maps.get(requested);
      long bytes = map.bytesOf(partition, UNKNOWN_SEGMENT_BYTES);
      if (!inFlight.isEmpty() && bytesInFlight + bytes > maxBytesInFlight) {
        return;
      }
      if (bytes == 0 && map.partitionBytes() != null) {
        requested++; // an empty segment: nothing to fetch
        inFlight.add(CompletableFuture.completedFuture(new byte[0]));
        continue;
      }
      inFlight.add(fetcher.fetch(map.executor(), map.address(), map.port(),
          BlockIds.shuffle(shuffle, map.mapIndex(), map.taskId(), partition)));
      bytesInFlight += bytes;
      requested++;
    }
  }

  @Override
  public boolean hasNext() {
    try {
      while (!nextInSegment()) {
        closeCurrent();
        if (taken == maps.size()) {
          return false;
        }
        openNext();
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the segment being read has more, a damaged batch being a fetch failure of its map output. */
  private boolean nextInSegment() throws IOException {
    try {
      return records.hasNext();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CorruptShuffleDataException corrupt) {
        throw failure(maps.get(taken - 1), "its segment is damaged: " + corrupt.getMessage(), corrupt);
      }
      throw e;
    }
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    try {
      return records.next();
    } catch (UncheckedIOException e) {
      // a batch found damaged as it is decompressed: its map output must be written again
      if (e.getCause() instanceof CorruptShuffleDataException corrupt) {
        throw new UncheckedIOException(failure(maps.get(taken - 1), "its segment is damaged: "
            + corrupt.getMessage(), corrupt));
      }
      throw e;
    }
  }

  private void openNext() throws IOException {
    MapOutputLocation from = maps.get(taken);
    byte[] segment = await(inFlight.poll(), from);
    bytesInFlight -= from.bytesOf(partition, UNKNOWN_SEGMENT_BYTES);
    taken++;
    request();
    bytesFetched.accept(segment.length);
    if (segment.length == 0) {
      return;
    }
    try {
      current = opener.open(segment);
    } catch (IOException e) {
      throw failure(from, "its segment is damaged: " + e.getMessage(), e);
    }
    records = current;
  }

  private byte[] await(CompletableFuture<byte[]> fetch, MapOutputLocation from) throws IOException {
    try {
      return fetch.get();
    } catch (ExecutionException e) {
      throw failure(from, e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching shuffle blocks", e);
    }
  }

  private FetchFailedException failure(MapOutputLocation from, String why, Throwable cause) {
    return new FetchFailedException(shuffle, from.mapIndex(), from.executor(), "cannot fetch shuffle "
        + shuffle + " partition " + partition + " of map task " + from.mapIndex() + " from executor "
        + from.executor() + " (" + from.address() + ":" + from.port() + "): " + why, cause);
  }

  private void closeCurrent() throws IOException {
    if (current != null) {
      SegmentReader s = current;
      current = null;
      records = Collections.emptyIterator();
      s.close();
    }
  }

  /** Closes the segment being read; fetches still in flight complete unread. */
  @Override
  public void close() throws IOException {
    closeCurrent();
  }
}
