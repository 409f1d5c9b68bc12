package io.dflow.executor.shuffle;

import io.dflow.arrow.RowCodec;
import io.dflow.arrow.RowInput;
import io.dflow.arrow.RowOutput;
import io.dflow.arrow.RunWriter;
import io.dflow.executor.memory.TaskMemory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Records held serialised ({@link RowCodec}) in pages of a fixed size (at most {@value #MAX_PAGE_BYTES}
 * bytes, less for a task with little memory), with an index
 * of (partition, key prefix, place, length) per record, sortable by partition and then by a
 * {@link RecordOrder} without making the records objects (keys are decoded only where prefixes
 * tie). Its memory is what its pages, index arrays and sorting scratch take, exactly.
 *
 * <p>Threading: one task's.
 */
final class SortBuffer {
  static final int MAX_PAGE_BYTES = 1 << 20;
  static final int MIN_PAGE_BYTES = 4 << 10;
  /** Partition, prefix and place (page and offset: a row's length is where the next one starts). */
  private static final int INDEX_BYTES_PER_RECORD = 4 + 8 + 8;
  /** With byte-array keys in place: their next seven bytes and length, kept beside the prefix. */
  private static final int NEXT_PREFIX_BYTES_PER_RECORD = 8;
  /** Sorting: the sorted order and the radix keys beside it, then the rows' places and lengths in that order. */
  private static final int SORTED_BYTES_PER_RECORD = 4 + 8;
  /** Sorting one partition: the radix sort's scratch, and that of sorting ties by their keys. */
  private static final int RADIX_SCRATCH_BYTES_PER_RECORD = 4 + 8;
  private static final int TIE_SCRATCH_BYTES_PER_RECORD = 2 * (4 + 8);

  private final RowCodec codec;
  private final RecordOrder order;
  /** Byte-array keys in their natural order: ties are sorted by further bytes read in the pages, not decoded. */
  private final boolean bytesInPlace;
  /** Key bytes in a {@code byte[]} key's prefix (see {@link RecordOrder}). */
  private static final int PREFIX_BYTES = 7;
  private final int numPartitions;
  private final List<byte[]> pages = new ArrayList<>();
  private final TaskMemory memory;
  /** Where each page's last row ends. */
  private int[] pageEnds = new int[16];
  private final int pageBytes;
  private int pageFill;
  /**
   * The index, in chunks of {@code 1 << chunkShift} records: it grows by a chunk, never by
   * copying into an array twice the size, so what it takes is what it holds (within a chunk) and
   * leaves no garbage behind.
   */
  private final int chunkShift;
  private final int chunkMask;
  private final List<int[]> partitions = new ArrayList<>();
  private final List<long[]> prefixes = new ArrayList<>();
  /** Page number in the high 32 bits, offset in the page in the low. */
  private final List<long[]> places = new ArrayList<>();
  /**
   * With byte-array keys in place: bytes 7 .. 14 of each key ({@link #bytesPrefix}'s form at
   * depth 7), taken while the row is at hand, so ties of keys longer than seven bytes are sorted
   * by one read of this array rather than by reading each row back from the pages (its place,
   * length and bytes: three reads at random).
   */
  private final List<long[]> nextPrefixes;
  /** Records per partition, counted as they arrive: the partition sort needs no counting pass. */
  private final int[] partitionCounts;
  private int largestPartition;
  private int[] sorted;
  /** After {@link #sort}: the place and length of each row, in sorted order. */
  private long[] sortedPlaces;
  private int[] sortedLengths;
  private int[] partitionStarts;
  private int size;
  private long heldBytes;
  private final RowInput a = new RowInput();
  private final RowInput b = new RowInput();
  private final int indexBytesPerRecord;
  /** What sorting takes per record, and per record of the largest partition. */
  private final int sortBytesPerRecord;
  private final int sortBytesPerLargestPartitionRecord;

  /**
   * @param pageBytes the size of a page; a row larger than a page gets a page of its own
   * @param memory where pages come from and go back to
   */
  SortBuffer(RowCodec codec, RecordOrder order, int numPartitions, int pageBytes, TaskMemory memory) {
    this.memory = memory;
    this.bytesInPlace = order.naturalBytes() && codec.hasBytesKeys();
    this.codec = codec;
    this.order = order;
    this.numPartitions = numPartitions;
    this.pageBytes = pageBytes;
    this.pageFill = pageBytes;
    this.indexBytesPerRecord = INDEX_BYTES_PER_RECORD + (bytesInPlace ? NEXT_PREFIX_BYTES_PER_RECORD : 0);
    this.nextPrefixes = bytesInPlace ? new ArrayList<>() : null;
    this.partitionCounts = new int[numPartitions];
    // a chunk's index entries take about what a page's rows do: tiny memory limits get small chunks
    this.chunkShift = Integer.numberOfTrailingZeros(Integer.highestOneBit(Math.max(64, pageBytes / 16)));
    this.chunkMask = (1 << chunkShift) - 1;
    this.sortBytesPerRecord = SORTED_BYTES_PER_RECORD;
    this.sortBytesPerLargestPartitionRecord = !order.sorts() ? 0
        : RADIX_SCRATCH_BYTES_PER_RECORD + (order.needsKeys() ? TIE_SCRATCH_BYTES_PER_RECORD : 0);
  }

  /** The page size for a task that may hold {@code memory} bytes: a sixteenth of it, within bounds. */
  static int pageBytesFor(long memory) {
    return (int) Math.max(MIN_PAGE_BYTES, Math.min(MAX_PAGE_BYTES, Long.highestOneBit(Math.max(1, memory / 16))));
  }

  int size() {
    return size;
  }

  /** The bytes of memory the buffer holds, with what sorting it will take. */
  long memoryBytes() {
    return memoryWith(size, largestPartition, partitions.size(), heldBytes);
  }

  private long memoryWith(int records, int largest, int chunks, long pagesHeld) {
    return pagesHeld + (long) pageEnds.length * Integer.BYTES
        + ((long) chunks << chunkShift) * indexBytesPerRecord
        + (long) records * sortBytesPerRecord + (long) largest * sortBytesPerLargestPartitionRecord;
  }

  /** The memory the buffer would hold with a row of {@code rowLength} bytes of {@code partition} added. */
  long memoryWith(int partition, int rowLength) {
    long pagesHeld = heldBytes + (pageFill + rowLength > pageBytes ? Math.max(pageBytes, rowLength) : 0);
    int chunks = partitions.size() + ((size & chunkMask) == 0 && size >> chunkShift == partitions.size() ? 1 : 0);
    return memoryWith(size + 1, Math.max(largestPartition, partitionCounts[partition] + 1), chunks, pagesHeld);
  }

  /** Adds the row {@code row[0 .. length)} of a record in {@code partition} whose key has {@code prefix}. */
  void add(int partition, long prefix, byte[] row, int length) throws IOException {
    if (pageFill + length > pageBytes || pages.isEmpty()) {
      int bytes = Math.max(pageBytes, length);
      pages.add(bytes == pageBytes ? memory.page(bytes) : new byte[bytes]);
      heldBytes += bytes;
      pageFill = 0;
      if (pages.size() > pageEnds.length) {
        pageEnds = Arrays.copyOf(pageEnds, pageEnds.length * 2);
      }
    }
    int chunk = size >> chunkShift;
    int at = size & chunkMask;
    if (chunk == partitions.size()) {
      int entries = 1 << chunkShift;
      partitions.add(new int[entries]);
      prefixes.add(new long[entries]);
      places.add(new long[entries]);
      if (nextPrefixes != null) {
        nextPrefixes.add(new long[entries]);
      }
    }
    if (nextPrefixes != null && order.tieNeedsKeys(prefix)) {
      RowInput in = a.reset(row, 0, length);
      int keyLength = RowCodec.bytesKeyLength(in);
      nextPrefixes.get(chunk)[at] = keyPrefix(row, in.position(), keyLength, PREFIX_BYTES);
    }
    int pageNumber = pages.size() - 1;
    byte[] page = pages.get(pageNumber);
    System.arraycopy(row, 0, page, pageFill, length);
    partitions.get(chunk)[at] = partition;
    prefixes.get(chunk)[at] = prefix;
    places.get(chunk)[at] = ((long) pageNumber << 32) | pageFill;
    pageFill += length;
    pageEnds[pageNumber] = pageFill;
    largestPartition = Math.max(largestPartition, ++partitionCounts[partition]);
    size++;
    sorted = null;
    sortedPlaces = null;
    sortedLengths = null;
  }

  private long prefix(int i) {
    return prefixes.get(i >> chunkShift)[i & chunkMask];
  }

  private long place(int i) {
    return places.get(i >> chunkShift)[i & chunkMask];
  }

  /** Where record {@code i} ends in its page: where the next record starts, if it is in the same page. */
  private int end(int i, long place) {
    int page = (int) (place >>> 32);
    if (i + 1 < size) {
      long next = place(i + 1);
      if ((int) (next >>> 32) == page) {
        return (int) next;
      }
    }
    return pageEnds[page];
  }

  /**
   * Orders the records by partition and then by the order: a stable counting sort by partition
   * (one pass in insertion order), then per partition a radix sort of the key prefixes, which
   * keeps the prefixes next to the order they give; where the order needs keys, runs of equal
   * prefixes are then sorted by comparing keys. Reading the index in order rather than at random
   * is what this is about: a buffer's index is tens of megabytes, far more than the CPU caches.
   */
  void sort() throws IOException {
    partitionStarts = new int[numPartitions + 1];
    for (int p = 0; p < numPartitions; p++) {
      partitionStarts[p + 1] = partitionStarts[p] + partitionCounts[p];
    }
    int[] next = Arrays.copyOf(partitionStarts, numPartitions);
    sorted = new int[size];
    long[] keys = new long[size];
    for (int c = 0; c < partitions.size(); c++) {
      int[] chunkPartitions = partitions.get(c);
      long[] chunkPrefixes = prefixes.get(c);
      int base = c << chunkShift;
      int n = Math.min(size - base, 1 << chunkShift);
      for (int j = 0; j < n; j++) {
        int at = next[chunkPartitions[j]]++;
        sorted[at] = base + j;
        keys[at] = order.radixKey(chunkPrefixes[j]);
      }
    }
    if (order.sorts()) {
      int[] scratchIndex = new int[largestPartition];
      long[] scratchKeys = new long[largestPartition];
      try {
        for (int p = 0; p < numPartitions; p++) {
          int from = partitionStarts[p];
          int to = partitionStarts[p + 1];
          RadixSort.sort(sorted, keys, from, to, scratchIndex, scratchKeys);
          if (order.needsKeys()) {
            sortTies(from, to, keys);
          }
        }
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
    }
    placesInOrder(keys);
  }

  /**
   * Turns the sorted order into the rows' places and lengths in that order, in the arrays of the
   * order and the radix keys: one pass whose reads of the index, at random but independent of
   * each other, the processor overlaps, where reading the rows out looked each place up just
   * before reading its row, a wait for memory twice per record.
   */
  private void placesInOrder(long[] into) {
    for (int k = 0; k < size; k++) {
      int i = sorted[k];
      long place = place(i);
      into[k] = place;
      sorted[k] = end(i, place) - (int) place;
    }
    sortedPlaces = into;
    sortedLengths = sorted;
    sorted = null;
  }

  /** Sorts each run of equal prefixes in {@code sorted[from .. to)} by comparing keys; {@code keys} are the sorted radix keys. */
  private void sortTies(int from, int to, long[] keys) throws IOException {
    int start = from;
    while (start < to) {
      int end = start + 1;
      while (end < to && keys[end] == keys[start]) {
        end++;
      }
      if (end - start > 1 && order.tieNeedsKeys(prefix(sorted[start]))) {
        if (bytesInPlace) {
          sortBytesTies(start, end, PREFIX_BYTES);
        } else {
          IndexSort.sort(sorted, start, end, this::compareWithKeys);
        }
      }
      start = end;
    }
  }

  /**
   * Sorts {@code sorted[from .. to)}, byte-array keys that share their first {@code depth} bytes
   * and are longer, by their next seven bytes and length, read in the pages: a radix sort per
   * seven bytes (most significant first) rather than comparisons, which would read every key
   * many times at random.
   */
  private void sortBytesTies(int from, int to, int depth) throws IOException {
    int n = to - from;
    int[] index = Arrays.copyOfRange(sorted, from, to);
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      long k = depth == PREFIX_BYTES ? nextPrefixes.get(index[i] >> chunkShift)[index[i] & chunkMask]
          : bytesPrefix(index[i], depth);
      keys[i] = order.direction() > 0 ? k : ~k;
    }
    RadixSort.sort(index, keys, 0, n);
    System.arraycopy(index, 0, sorted, from, n);
    int start = 0;
    while (start < n) {
      int end = start + 1;
      while (end < n && keys[end] == keys[start]) {
        end++;
      }
      long prefix = order.direction() > 0 ? keys[start] : ~keys[start];
      if (end - start > 1 && (prefix & 0xff) == 0xff) {
        sortBytesTies(from + start, from + end, depth + PREFIX_BYTES);
      }
      start = end;
    }
  }

  /** Bytes {@code depth .. depth+7} of record {@code i}'s key, zero-padded, then how many there were (0xff: more). */
  private long bytesPrefix(int i, int depth) throws IOException {
    RowInput in = row(i, a);
    int length = RowCodec.bytesKeyLength(in);
    return keyPrefix(pages.get((int) (place(i) >>> 32)), in.position(), length, depth);
  }

  /** Bytes {@code depth .. depth+7} of the key of {@code length} bytes at {@code at} in {@code bytes}, as {@link #bytesPrefix}. */
  private static long keyPrefix(byte[] bytes, int at, int length, int depth) {
    int left = Math.max(0, length - depth);
    long p = 0;
    for (int j = 0; j < PREFIX_BYTES; j++) {
      p = (p << 8) | (j < left ? bytes[at + depth + j] & 0xff : 0);
    }
    return (p << 8) | (left <= PREFIX_BYTES ? left : 0xff);
  }

  private int compareWithKeys(int x, int y) {
    long px = prefix(x);
    long py = prefix(y);
    if (px != py) {
      return order.compare(null, px, null, py);
    }
    try {
      return order.compare(key(x, a), px, key(y, b), py);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Object key(int i, RowInput in) throws IOException {
    return codec.readKey(row(i, in));
  }

  private RowInput row(int i, RowInput in) {
    long place = place(i);
    return in.reset(pages.get((int) (place >>> 32)), (int) place, end(i, place));
  }

  /** The records of {@code partition}, in order, decoded as they are read; call {@link #sort} first. */
  Iterator<Object> records(int partition) {
    RowInput in = new RowInput();
    return new RangeIterator<>(partitionStarts[partition], partitionStarts[partition + 1], k -> {
      long place = sortedPlaces[k];
      int offset = (int) place;
      try {
        return codec.read(in.reset(pages.get((int) (place >>> 32)), offset, offset + sortedLengths[k]));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** Gives the pages back for other buffers; this one is not read again. */
  void recycle() {
    for (byte[] page : pages) {
      if (page.length == pageBytes) {
        memory.recycle(page);
      }
    }
    pages.clear();
  }

  /** Writes every partition's rows, in order, to {@code out}; call {@link #sort} first. */
  void writeTo(RunWriter out) throws IOException {
    for (int p = 0; p < numPartitions; p++) {
      out.startPartition(p);
      for (int k = partitionStarts[p]; k < partitionStarts[p + 1]; k++) {
        long place = sortedPlaces[k];
        out.writeRow(pages.get((int) (place >>> 32)), (int) place, sortedLengths[k]);
      }
    }
  }
}
