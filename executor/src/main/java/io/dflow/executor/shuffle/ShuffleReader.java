package io.dflow.executor.shuffle;

import io.dflow.arrow.CorruptShuffleDataException;
import io.dflow.arrow.SegmentReader;
import io.dflow.arrow.SegmentSource;
import io.dflow.executor.net.BlockData;
import io.dflow.executor.net.BlockRegion;
import io.dflow.executor.net.HeapBlock;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.planner.ShuffleId;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The reduce side of a shuffle, as a stream of records: this partition's segment of every map
 * output is fetched (as many at once as fit in {@code maxBytesInFlight}, and always at least
 * one), decoded when its turn comes and dropped once read. Or, through {@link #allSegments},
 * every segment open at once, for a merge of segments each already sorted by its map task. A
 * segment that cannot be fetched or decoded is a {@link FetchFailedException} naming the map
 * output, thrown (wrapped in an {@link UncheckedIOException}) by {@code hasNext} or {@code next}.
 * A segment of another executor larger than {@code toDiskBytes} is fetched into a file (each
 * chunk written as it arrives), read from there as a local one is, and deleted once read.
 */
public final class ShuffleReader implements Iterator<Object>, Closeable {
  /** Segment sizes that are not known count as this many bytes in flight. */
  static final long UNKNOWN_SEGMENT_BYTES = 1 << 20;
  private static final BlockData EMPTY = new HeapBlock(new byte[0], 0);
  private static final Path IN_MEMORY = Path.of("");

  /** Turns one fetched segment into records: a reader to close once read. */
  @FunctionalInterface
  public interface SegmentOpener {
    SegmentReader open(SegmentSource segment) throws IOException;
  }

  private final ShuffleId shuffle;
  private final int partition;
  private final List<MapOutputLocation> maps;
  private final BlockFetcher fetcher;
  private final SegmentOpener opener;
  private final long maxBytesInFlight;
  private final LongConsumer bytesFetched;
  private final long toDiskBytes;
  private final Supplier<Path> downloads;
  private final Deque<CompletableFuture<BlockData>> inFlight = new ArrayDeque<>();
  /** The file each fetch in flight writes to, or {@link #IN_MEMORY}, in the same order. */
  private final Deque<Path> inFlightFiles = new ArrayDeque<>();
  private final List<SegmentReader> open = new ArrayList<>();
  private final List<Path> openFiles = new ArrayList<>();
  private int requested;
  private int taken;
  private long bytesInFlight;
  private Iterator<Object> records = Collections.emptyIterator();

  /**
   * @param maps where each map output of the shuffle lives; null when the task was given none
   *     (the scheduler then recomputes the shuffle)
   * @param bytesFetched told the size of each segment as it arrives
   */
  public ShuffleReader(ShuffleId shuffle, int partition, List<MapOutputLocation> maps, BlockFetcher fetcher,
      SegmentOpener opener, long maxBytesInFlight, LongConsumer bytesFetched) throws FetchFailedException {
    this(shuffle, partition, maps, fetcher, opener, maxBytesInFlight, bytesFetched, Long.MAX_VALUE, null);
  }

  /**
   * @param toDiskBytes a segment of another executor of more bytes than this is fetched to disk
   * @param downloads new file paths to fetch such segments into (null: none is)
   */
  public ShuffleReader(ShuffleId shuffle, int partition, List<MapOutputLocation> maps, BlockFetcher fetcher,
      SegmentOpener opener, long maxBytesInFlight, LongConsumer bytesFetched, long toDiskBytes,
      Supplier<Path> downloads) throws FetchFailedException {
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
    this.toDiskBytes = toDiskBytes;
    this.downloads = downloads;
    request(false);
  }

  /** Sends fetches while they fit in the budget (at least one when none is in flight), or all of them. */
  private void request(boolean all) {
    while (requested < maps.size()) {
      MapOutputLocation map = maps.get(requested);
      long bytes = map.bytesOf(partition, UNKNOWN_SEGMENT_BYTES);
      if (!all && !inFlight.isEmpty() && bytesInFlight + bytes > maxBytesInFlight) {
        return;
      }
      String block = BlockIds.shuffle(shuffle, map.mapIndex(), map.taskId(), partition);
      Path file = IN_MEMORY;
      if (bytes == 0 && map.partitionBytes() != null) {
        inFlight.add(CompletableFuture.completedFuture(EMPTY)); // nothing to fetch
      } else if (toDisk(map)) {
        file = downloads.get();
        inFlight.add(fetcher.fetchToFile(map.executor(), map.address(), map.port(), block, file));
        bytesInFlight += bytes;
      } else {
        inFlight.add(fetcher.fetch(map.executor(), map.address(), map.port(), block));
        bytesInFlight += bytes;
      }
      inFlightFiles.add(file);
      requested++;
    }
  }

  /** Whether {@code map}'s segment is fetched into a file: another executor's, known to be over {@code toDiskBytes}. */
  private boolean toDisk(MapOutputLocation map) {
    return downloads != null && map.partitionBytes() != null && !fetcher.holdsLocally(map.executor())
        && map.bytesOf(partition, 0) > toDiskBytes;
  }

  /**
   * Every segment open at once, in map order, each a stream of its records, if that is cheap:
   * at most {@code maxSegments} of them, and those held by other executors (which arrive whole,
   * on the heap) of known sizes adding up to no more than {@code maxBytesInFlight}; a segment of
   * this executor, or one fetched to disk, is read from its file a batch at a time. Else null, and the reader stays a
   * stream. Call it before reading anything.
   */
  public List<Iterator<Object>> allSegments(int maxSegments) throws IOException {
    if (taken > 0 || maps.size() > maxSegments) {
      return null;
    }
    long remote = 0;
    for (MapOutputLocation map : maps) {
      if (!fetcher.holdsLocally(map.executor()) && !toDisk(map)) {
        remote += map.partitionBytes() == null ? maxBytesInFlight + 1 : map.bytesOf(partition, 0);
      }
    }
    if (remote > maxBytesInFlight) {
      return null;
    }
    request(true);
    List<Iterator<Object>> segments = new ArrayList<>(maps.size());
    while (taken < maps.size()) {
      segments.add(openNext());
    }
    return segments;
  }

  @Override
  public boolean hasNext() {
    try {
      while (!records.hasNext()) {
        closeOpen();
        if (taken == maps.size()) {
          return false;
        }
        records = openNext();
        request(false);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return records.next();
  }

  /** Waits for the next segment in map order and opens it. */
  private Iterator<Object> openNext() throws IOException {
    MapOutputLocation from = maps.get(taken);
    Path file = inFlightFiles.poll();
    if (file != IN_MEMORY) {
      openFiles.add(file); // deleted with the segment's reader, or at close if the fetch failed
    }
    BlockData segment = await(inFlight.poll(), from);
    bytesInFlight -= from.bytesOf(partition, UNKNOWN_SEGMENT_BYTES);
    taken++;
    bytesFetched.accept(segment.length());
    if (segment.length() == 0) {
      return Collections.emptyIterator();
    }
    SegmentReader reader;
    try {
      reader = opener.open(sourceOf(segment));
    } catch (IOException e) {
      throw failure(from, "its segment is damaged: " + e.getMessage(), e);
    }
    open.add(reader);
    return new SegmentRecords(reader, from);
  }

  private BlockData await(CompletableFuture<BlockData> fetch, MapOutputLocation from) throws IOException {
    try {
      return fetch.get();
    } catch (ExecutionException e) {
      throw failure(from, e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching shuffle blocks", e);
    }
  }

  /** A segment's bytes as a reader takes them: a local file region is read as it is decoded, never whole. */
  private static SegmentSource sourceOf(BlockData block) throws IOException {
    if (block instanceof BlockRegion region) {
      return SegmentSource.ofFile(region.file(), region.offset(), region.length());
    }
    HeapBlock heap = (HeapBlock) block;
    return SegmentSource.of(ByteBuffer.wrap(heap.bytes(), 0, heap.size()));
  }

  private FetchFailedException failure(MapOutputLocation from, String why, Throwable cause) {
    return new FetchFailedException(shuffle, from.mapIndex(), from.executor(), "cannot fetch shuffle "
        + shuffle + " partition " + partition + " of map task " + from.mapIndex() + " from executor "
        + from.executor() + " (" + from.address() + ":" + from.port() + "): " + why, cause);
  }

  /** One segment's records; a batch found damaged as it is decompressed is a fetch failure of its map output. */
  private final class SegmentRecords implements Iterator<Object> {
    private final SegmentReader reader;
    private final MapOutputLocation from;

    SegmentRecords(SegmentReader reader, MapOutputLocation from) {
      this.reader = reader;
      this.from = from;
    }

    @Override
    public boolean hasNext() {
      try {
        return reader.hasNext();
      } catch (UncheckedIOException e) {
        throw translated(e);
      }
    }

    @Override
    public Object next() {
      try {
        return reader.next();
      } catch (UncheckedIOException e) {
        throw translated(e);
      }
    }

    private UncheckedIOException translated(UncheckedIOException e) {
      if (e.getCause() instanceof CorruptShuffleDataException corrupt) {
        return new UncheckedIOException(failure(from, "its segment is damaged: " + corrupt.getMessage(), corrupt));
      }
      return e;
    }
  }

  private void closeOpen() {
    open.forEach(SegmentReader::close);
    open.clear();
    openFiles.forEach(ShuffleReader::delete);
    openFiles.clear();
    records = Collections.emptyIterator();
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the fetched segment " + file, e);
    }
  }

  /** Closes the segments being read; fetches still in flight complete unread (a file they write is deleted). */
  @Override
  public void close() {
    closeOpen();
    while (!inFlight.isEmpty()) {
      CompletableFuture<BlockData> fetch = inFlight.poll();
      Path file = inFlightFiles.poll();
      if (file != IN_MEMORY) {
        fetch.whenComplete((block, error) -> delete(file));
      }
    }
  }
}
