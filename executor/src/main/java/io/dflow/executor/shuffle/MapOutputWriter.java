package io.dflow.executor.shuffle;

import io.dflow.api.Pair;
import io.dflow.api.Partitioner;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.arrow.ShuffleWriteResult;
import io.dflow.planner.StageOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The map side of a shuffle: sends each key/value record to its reduce partition, aggregating
 * the values of a key right away for an aggregation (the combiner), and writes all partitions
 * as one Arrow shuffle file with an index.
 */
public final class MapOutputWriter {
  private static final int EXPECTED_KEYS = 1 << 13;

  private MapOutputWriter() {}

  /** Writes map task {@code mapIndex}'s output for {@code write}, as attempt {@code taskId}. */
  public static ShuffleWriteResult write(ShuffleStore store, int mapIndex, long taskId,
      StageOutput.ShuffleWrite write, Iterator<Object> records, BufferAllocator allocator) throws IOException {
    ShuffleSpec spec = write.spec();
    Partitioner partitioner = spec.partitioner();
    if (partitioner == null) {
      throw new IllegalStateException("shuffle " + write.shuffle() + " has no partitioner yet");
    }
    int n = spec.numPartitions();
    List<? extends Iterable<?>> partitions = spec.combinesMapSide()
        ? combined(records, partitioner, n, spec)
        : bucketed(records, partitioner, n);
    return store.writeMapOutput(write.shuffle(), mapIndex, taskId, spec.recordEncoder(), partitions, allocator);
  }

  /**
   * One combiner for the whole task, partitioned only when written: the partitioner runs once
   * per distinct key instead of once per record.
   */
  private static List<Iterable<?>> combined(Iterator<Object> records, Partitioner partitioner, int n,
      ShuffleSpec spec) {
    Combiner combiner = Combiner.of(spec.valueEncoder(), spec.aggregator(), EXPECTED_KEYS);
    while (records.hasNext()) {
      Pair<?, ?> pair = Merger.asPair(records.next());
      combiner.addValue(pair.key(), pair.value());
    }
    List<List<Object>> buckets = buckets(n);
    combiner.forEach((key, value) -> buckets.get(partitionOf(partitioner, key, n)).add(Pair.of(key, value)));
    return new ArrayList<>(buckets);
  }

  private static List<Iterable<?>> bucketed(Iterator<Object> records, Partitioner partitioner, int n) {
    List<List<Object>> buckets = buckets(n);
    while (records.hasNext()) {
      Pair<?, ?> pair = Merger.asPair(records.next());
      buckets.get(partitionOf(partitioner, pair.key(), n)).add(pair);
    }
    return new ArrayList<>(buckets);
  }

  /** The partition of {@code key}, checked: a user's partitioner may answer anything. */
  private static int partitionOf(Partitioner partitioner, Object key, int n) {
    int p = partitioner.partition(key);
    if (p < 0 || p >= n) {
      String shown = String.valueOf(key);
      throw new IllegalArgumentException("partitioner " + partitioner.getClass().getName()
          + " sent key " + (shown.length() <= 80 ? shown : shown.substring(0, 80) + "...")
          + " to partition " + p + ", but the shuffle has partitions 0 to " + (n - 1));
    }
    return p;
  }

  private static List<List<Object>> buckets(int n) {
    List<List<Object>> buckets = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      buckets.add(new ArrayList<>());
    }
    return buckets;
  }
}
