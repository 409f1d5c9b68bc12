package io.dflow.executor.shuffle;

import io.dflow.api.Encoder;
import io.dflow.api.Pair;
import io.dflow.api.Partitioner;
import io.dflow.api.plan.Aggregator;
import io.dflow.arrow.RowCodec;
import io.dflow.arrow.RowOutput;
import io.dflow.arrow.Run;
import io.dflow.arrow.RunReader;
import io.dflow.arrow.RunWriter;
import io.dflow.executor.memory.MemoryConsumer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Gathers a task's key/value records by partition, ordered within each partition by a
 * {@link RecordOrder} and, with an {@link Aggregator}, one aggregate per key, in bounded memory:
 * records are held serialised in a {@link SortBuffer} (or, aggregating, as objects in a
 * {@link Combiner} whose size is estimated), and when the task's execution memory will not
 * grant more the buffer is sorted and spilled to a run file; at the end the runs are k-way
 * merged partition by partition (equal keys combined once more). The map side of a shuffle and
 * the reduce side of a sort, a grouping or an aggregation are all made of one of these.
 *
 * <p>Use: {@link #insert} every record, then read each partition once, in increasing order,
 * with {@link #partition}; close it to delete its runs and give back its memory. Threading: one
 * task's.
 */
final class ExternalSorter extends MemoryConsumer implements Closeable {

  private final SortSettings settings;
  private final RowCodec codec;
  private final int numPartitions;
  private final Partitioner partitioner;
  private final RecordOrder order;
  private final Aggregator aggregator;
  private final boolean aggregatesIn;
  private final Encoder<?> keyEncoder;
  private final Encoder<?> aggregateEncoder;
  private final RowOutput row = new RowOutput(256);
  private final List<Run> runs = new ArrayList<>();
  private final List<Closeable> readers = new ArrayList<>();
  /** A buffer page: memory is asked for at least this much at a time. */
  private final int pageBytes;
  private SortBuffer buffer;
  private Combiner combiner;
  private long combinerBytes;
  /** The combiner's occupied slots by partition, and where each partition's start ({@link #combinedInMemory}). */
  private int[] combinedSlots;
  private int[] combinedStarts;
  private boolean readingMemory;
  private int nextPartition;

  /**
   * @param recordEncoder the records' layout (for an aggregation: of key and aggregate pairs)
   * @param partitioner where keys go; null when everything is one partition
   * @param aggregator null to keep every record; else records are combined per key
   * @param aggregatesIn with an aggregator: whether inserted values are aggregates already
   *     (the reduce side) rather than values (the map side)
   */
  ExternalSorter(SortSettings settings, Encoder<?> recordEncoder, int numPartitions, Partitioner partitioner,
      RecordOrder order, Aggregator aggregator, boolean aggregatesIn) {
    super(settings.memory());
    this.settings = settings;
    this.codec = RowCodec.of(recordEncoder, settings.policy());
    this.numPartitions = numPartitions;
    this.partitioner = partitioner;
    this.order = aggregator != null ? RecordOrder.GROUPING : order;
    this.aggregator = aggregator;
    this.aggregatesIn = aggregatesIn;
    this.keyEncoder = aggregator != null ? ((Encoder.PairOf<?, ?>) recordEncoder).key() : null;
    this.aggregateEncoder = aggregator != null ? ((Encoder.PairOf<?, ?>) recordEncoder).value() : null;
    this.pageBytes = SortBuffer.pageBytesFor(settings.memory().cap());
    reset();
  }

  private void reset() {
    if (aggregator != null) {
      combiner = Combiner.of(keyEncoder, aggregateEncoder, aggregator, 1 << 10);
      combinerBytes = 0;
    } else {
      buffer = new SortBuffer(codec, order, numPartitions, pageBytes, settings.memory());
    }
  }

  void insert(Object record) throws IOException {
    Pair<?, ?> pair = Merger.asPair(record);
    if (aggregator != null) {
      int before = combiner.size();
      if (aggregatesIn) {
        combiner.addAggregate(pair.key(), pair.value());
      } else {
        combiner.addValue(pair.key(), pair.value());
      }
      if (combiner.size() > before) {
        combinerBytes += combiner.entryBytes(pair.key(), pair.value());
        if (combinerBytes > used() && !reserve(combinerBytes - used())) {
          spill();
        }
      }
      return;
    }
    row.reset();
    codec.write(pair, row);
    int partition = partitionOf(pair.key());
    long need = buffer.memoryWith(partition, row.length());
    if (need > used() && !reserve(need - used())) {
      spill();
      reserve(buffer.memoryWith(partition, row.length()));
    }
    buffer.add(partition, order.prefix(pair.key()), row.array(), row.length());
  }

  /** Asks for at least {@code bytes} more memory; false (having taken what was given) if it was not all granted. */
  private boolean reserve(long bytes) {
    long want = Math.max(bytes, pageBytes);
    return acquire(want) >= bytes;
  }

  private int partitionOf(Object key) {
    if (partitioner == null) {
      return 0;
    }
    int p = partitioner.partition(key);
    if (p < 0 || p >= numPartitions) {
      String shown = String.valueOf(key);
      throw new IllegalArgumentException("partitioner " + partitioner.getClass().getName()
          + " sent key " + (shown.length() <= 80 ? shown : shown.substring(0, 80) + "...")
          + " to partition " + p + ", but the shuffle has partitions 0 to " + (numPartitions - 1));
    }
    return p;
  }

  /** Writes what is held to a run and gives its memory back. */
  @Override
  public void spill() throws IOException {
    boolean empty = aggregator != null ? combiner.size() == 0 : buffer.size() == 0;
    if (empty || readingMemory) {
      return; // nothing held, or what is held is being read out
    }
    RunWriter writer = new RunWriter(settings.spillFiles().get(), codec, settings.compression(), numPartitions);
    try (writer) {
      if (aggregator != null) {
        writeCombined(writer);
      } else {
        buffer.sort();
        buffer.writeTo(writer);
      }
      Run run = writer.finish();
      runs.add(run);
      settings.metrics().spilled(run.bytes());
    }
    releaseAll();
    if (buffer != null) {
      buffer.recycle(); // once its memory is given back, so the free pages may take its place
    }
    reset();
  }

  /** The aggregates, in (partition, key hash) order. */
  private void writeCombined(RunWriter writer) throws IOException {
    int n = combiner.size();
    Object[] keys = new Object[n];
    Object[] values = new Object[n];
    int[] parts = new int[n];
    long[] hashes = new long[n];
    int[] index = new int[n];
    int[] at = {0};
    combiner.forEach((k, v) -> {
      int i = at[0]++;
      keys[i] = k;
      values[i] = v;
      parts[i] = partitionOf(k);
      hashes[i] = RecordOrder.GROUPING.prefix(k);
      index[i] = i;
    });
    IndexSort.sort(index, 0, n, (x, y) -> parts[x] != parts[y] ? Integer.compare(parts[x], parts[y])
        : Long.compare(hashes[x], hashes[y]));
    int current = -1;
    for (int i : index) {
      if (parts[i] != current) {
        current = parts[i];
        writer.startPartition(current);
      }
      writer.write(Pair.of(keys[i], values[i]));
    }
  }

  /**
   * The records of partition {@code p}, ordered (and combined); partitions must be read in
   * increasing order, each once, after the last {@link #insert}.
   */
  Iterator<Object> partition(int p) throws IOException {
    if (p != nextPartition) {
      throw new IllegalStateException("partition " + p + " read out of order (next is " + nextPartition + ")");
    }
    nextPartition++;
    for (Closeable r : readers) {
      r.close(); // the previous partition's: one partition's run files open at a time, not all of them
    }
    readers.clear();
    if (runs.isEmpty()) {
      readingMemory = true;
      return inMemory(p);
    }
    if (p == 0) {
      spill(); // what is left joins the runs: everything goes through the merge
    }
    List<Iterator<Object>> sources = new ArrayList<>(runs.size());
    for (Run run : runs) {
      RunReader reader = new RunReader(run, p, codec);
      readers.add(reader);
      sources.add(reader);
    }
    if (!order.sorts()) {
      return concat(sources);
    }
    MergeIterator merged = new MergeIterator(sources, order);
    return aggregator == null ? merged : new CombiningIterator(merged);
  }

  private Iterator<Object> inMemory(int p) throws IOException {
    if (aggregator == null) {
      if (p == 0) {
        buffer.sort();
      }
      return buffer.records(p);
    }
    if (combinedSlots == null) {
      combinedInMemory();
    }
    return new RangeIterator<>(combinedStarts[p], combinedStarts[p + 1], at -> {
      int slot = combinedSlots[at];
      return Pair.of(combiner.keyAt(slot), combiner.aggregateAt(slot));
    });
  }

  /**
   * Orders the combiner's occupied slots by partition (a counting sort), so that each
   * partition's pairs are made as they are read, not all at once.
   */
  private void combinedInMemory() {
    int slots = combiner.slots();
    int[] parts = numPartitions > 1 ? new int[slots] : null;
    combinedStarts = new int[numPartitions + 1];
    for (int s = 0; s < slots; s++) {
      if (combiner.occupied(s)) {
        int p = parts == null ? 0 : partitionOf(combiner.keyAt(s));
        if (parts != null) {
          parts[s] = p;
        }
        combinedStarts[p + 1]++;
      }
    }
    for (int p = 0; p < numPartitions; p++) {
      combinedStarts[p + 1] += combinedStarts[p];
    }
    int[] next = Arrays.copyOf(combinedStarts, numPartitions);
    combinedSlots = new int[combinedStarts[numPartitions]];
    for (int s = 0; s < slots; s++) {
      if (combiner.occupied(s)) {
        combinedSlots[next[parts == null ? 0 : parts[s]]++] = s;
      }
    }
  }

  private static Iterator<Object> concat(List<Iterator<Object>> sources) {
    return new Iterator<>() {
      private int at;

      @Override
      public boolean hasNext() {
        while (at < sources.size() && !sources.get(at).hasNext()) {
          at++;
        }
        return at < sources.size();
      }

      @Override
      public Object next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return sources.get(at).next();
      }
    };
  }

  /** Merges the aggregates of each key: the merged runs bring equal keys together, by hash. */
  private final class CombiningIterator extends BucketIterator {
    private final MergeIterator merged;
    private Pair<?, ?> pending;
    private long pendingPrefix;

    CombiningIterator(MergeIterator merged) {
      this.merged = merged;
      advance();
    }

    private void advance() {
      pending = merged.hasNext() ? (Pair<?, ?>) merged.next() : null;
      pendingPrefix = pending == null ? 0 : merged.lastPrefix();
    }

    @Override
    List<Object> nextBucket() {
      if (pending == null) {
        return null;
      }
      Map<Object, Object> sameHash = new LinkedHashMap<>();
      long hash = pendingPrefix;
      while (pending != null && pendingPrefix == hash) {
        Object old = sameHash.get(pending.key());
        sameHash.put(pending.key(), old == null ? pending.value() : combiner.mergeAggregates(old, pending.value()));
        advance();
      }
      return pairs(sameHash);
    }
  }

  /** Deletes the runs, closes their readers and gives the memory back. */
  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Closeable r : readers) {
      try {
        r.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    for (Run run : runs) {
      try {
        Files.deleteIfExists(run.file());
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    runs.clear();
    super.close();
    if (buffer != null) {
      buffer.recycle();
    }
    if (first != null) {
      throw first;
    }
  }
}
