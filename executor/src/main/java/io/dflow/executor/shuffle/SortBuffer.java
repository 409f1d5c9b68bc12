package io.dflow.executor.shuffle;

import io.dflow.arrow.RowCodec;
import io.dflow.arrow.RowInput;
import io.dflow.arrow.RowOutput;
import io.dflow.arrow.RunWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

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
  private static final int FIRST_INDEX = 64;
  /** Partition, prefix, place and length; the sorted order; the radix sort's keys and scratch. */
  private static final int INDEX_BYTES_PER_RECORD = (4 + 8 + 8 + 4) + 4 + (4 + 8 + 4 + 8);
  /** With byte-array keys in place: their next seven bytes and length, kept beside the prefix. */
  private static final int NEXT_PREFIX_BYTES_PER_RECORD = 8;

  private final RowCodec codec;
  private final RecordOrder order;
  /** Byte-array keys in their natural order: ties are sorted by further bytes read in the pages, not decoded. */
  private final boolean bytesInPlace;
  /** Key bytes in a {@code byte[]} key's prefix (see {@link RecordOrder}). */
  private static final int PREFIX_BYTES = 7;
  private final int numPartitions;
  private final List<byte[]> pages = new ArrayList<>();
  private final int pageBytes;
  private int pageFill;
  private int[] partitions = new int[0];
  private long[] prefixes = new long[0];
  /**
   * With byte-array keys in place: bytes 7 .. 14 of each key ({@link #bytesPrefix}'s form at
   * depth 7), taken while the row is at hand, so ties of keys longer than seven bytes are sorted
   * by one read of this array rather than by reading each row back from the pages (its place,
   * length and bytes: three reads at random).
   */
  private long[] nextPrefixes;
  private long[] places = new long[0];
  private int[] lengths = new int[0];
  private int[] sorted;
  private int[] partitionStarts;
  private int size;
  private long heldBytes;
  private final RowInput a = new RowInput();
  private final RowInput b = new RowInput();
  private final int indexBytesPerRecord;

  /** @param pageBytes the size of a page; a row larger than a page gets a page of its own */
  SortBuffer(RowCodec codec, RecordOrder order, int numPartitions, int pageBytes) {
    this.bytesInPlace = order.naturalBytes() && codec.hasBytesKeys();
    this.codec = codec;
    this.order = order;
    this.numPartitions = numPartitions;
    this.pageBytes = pageBytes;
    this.pageFill = pageBytes;
    this.indexBytesPerRecord = INDEX_BYTES_PER_RECORD + (bytesInPlace ? NEXT_PREFIX_BYTES_PER_RECORD : 0);
    this.nextPrefixes = bytesInPlace ? new long[0] : null;
  }

  /** The page size for a task that may hold {@code memory} bytes: a sixteenth of it, within bounds. */
  static int pageBytesFor(long memory) {
    return (int) Math.max(MIN_PAGE_BYTES, Math.min(MAX_PAGE_BYTES, Long.highestOneBit(Math.max(1, memory / 16))));
  }

  int size() {
    return size;
  }

  /** The bytes of memory the buffer holds. */
  long memoryBytes() {
    return heldBytes + (long) partitions.length * indexBytesPerRecord;
  }

  /** How much more memory adding a row of {@code rowLength} bytes would take (0 if it fits). */
  long growthFor(int rowLength) {
    long grow = 0;
    if (pageFill + rowLength > pageBytes) {
      grow += Math.max(pageBytes, rowLength);
    }
    if (size == partitions.length) {
      grow += (long) Math.max(FIRST_INDEX, size) * indexBytesPerRecord;
    }
    return grow;
  }

  /** Adds the row {@code row[0 .. length)} of a record in {@code partition} whose key has {@code prefix}. */
  void add(int partition, long prefix, byte[] row, int length) throws IOException {
    if (pageFill + length > pageBytes || pages.isEmpty()) {
      int bytes = Math.max(pageBytes, length);
      pages.add(new byte[bytes]);
      heldBytes += bytes;
      pageFill = 0;
    }
    if (size == partitions.length) {
      int capacity = Math.max(FIRST_INDEX, size * 2);
      partitions = Arrays.copyOf(partitions, capacity);
      prefixes = Arrays.copyOf(prefixes, capacity);
      places = Arrays.copyOf(places, capacity);
      lengths = Arrays.copyOf(lengths, capacity);
      if (nextPrefixes != null) {
        nextPrefixes = Arrays.copyOf(nextPrefixes, capacity);
      }
    }
    if (nextPrefixes != null && order.tieNeedsKeys(prefix)) {
      RowInput in = a.reset(row, 0, length);
      int keyLength = RowCodec.bytesKeyLength(in);
      nextPrefixes[size] = keyPrefix(row, in.position(), keyLength, PREFIX_BYTES);
    }
    byte[] page = pages.get(pages.size() - 1);
    System.arraycopy(row, 0, page, pageFill, length);
    partitions[size] = partition;
    prefixes[size] = prefix;
    places[size] = ((long) (pages.size() - 1) << 32) | pageFill;
    lengths[size] = length;
    pageFill += length;
    size++;
    sorted = null;
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
    for (int i = 0; i < size; i++) {
      partitionStarts[partitions[i] + 1]++;
    }
    for (int p = 0; p < numPartitions; p++) {
      partitionStarts[p + 1] += partitionStarts[p];
    }
    int[] next = Arrays.copyOf(partitionStarts, numPartitions);
    sorted = new int[size];
    long[] keys = order.sorts() ? new long[size] : null;
    for (int i = 0; i < size; i++) {
      int at = next[partitions[i]]++;
      sorted[at] = i;
      if (keys != null) {
        keys[at] = order.radixKey(prefixes[i]);
      }
    }
    if (keys == null) {
      return;
    }
    try {
      for (int p = 0; p < numPartitions; p++) {
        int from = partitionStarts[p];
        int to = partitionStarts[p + 1];
        RadixSort.sort(sorted, keys, from, to);
        if (order.needsKeys()) {
          sortTies(from, to, keys);
        }
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Sorts each run of equal prefixes in {@code sorted[from .. to)} by comparing keys; {@code keys} are the sorted radix keys. */
  private void sortTies(int from, int to, long[] keys) throws IOException {
    int start = from;
    while (start < to) {
      int end = start + 1;
      while (end < to && keys[end] == keys[start]) {
        end++;
      }
      if (end - start > 1 && order.tieNeedsKeys(prefixes[sorted[start]])) {
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
      long k = depth == PREFIX_BYTES ? nextPrefixes[index[i]] : bytesPrefix(index[i], depth);
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
    return keyPrefix(pages.get((int) (places[i] >>> 32)), in.position(), length, depth);
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
    if (prefixes[x] != prefixes[y]) {
      return order.compare(null, prefixes[x], null, prefixes[y]);
    }
    try {
      return order.compare(key(x, a), prefixes[x], key(y, b), prefixes[y]);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Object key(int i, RowInput in) throws IOException {
    return codec.readKey(row(i, in));
  }

  private RowInput row(int i, RowInput in) {
    byte[] page = pages.get((int) (places[i] >>> 32));
    int at = (int) places[i];
    return in.reset(page, at, at + lengths[i]);
  }

  /** The records of {@code partition}, in order, decoded as they are read; call {@link #sort} first. */
  Iterator<Object> records(int partition) {
    int from = partitionStarts[partition];
    int to = partitionStarts[partition + 1];
    RowInput in = new RowInput();
    return new Iterator<>() {
      private int at = from;

      @Override
      public boolean hasNext() {
        return at < to;
      }

      @Override
      public Object next() {
        if (at >= to) {
          throw new NoSuchElementException();
        }
        int i = sorted[at++];
        byte[] page = pages.get((int) (places[i] >>> 32));
        int offset = (int) places[i];
        try {
          return codec.read(in.reset(page, offset, offset + lengths[i]));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }

  /** Writes every partition's rows, in order, to {@code out}; call {@link #sort} first. */
  void writeTo(RunWriter out) throws IOException {
    for (int p = 0; p < numPartitions; p++) {
      out.startPartition(p);
      for (int k = partitionStarts[p]; k < partitionStarts[p + 1]; k++) {
        int i = sorted[k];
        out.writeRow(pages.get((int) (places[i] >>> 32)), (int) places[i], lengths[i]);
      }
    }
  }
}
