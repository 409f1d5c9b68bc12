package io.dflow.api.plan;

import io.dflow.api.Encoder;
import io.dflow.api.HashPartitioner;
import io.dflow.api.KeyComparator;
import io.dflow.api.Partitioner;
import io.dflow.api.RangePartitioner;
import java.io.Serializable;

/**
 * What a shuffle does: how map outputs are partitioned and combined, and how the reduce side
 * merges them.
 *
 * @param name the API step behind it, for plans: {@code reduceByKey}, {@code join}, ...
 * @param partitioner null only for {@link Kind#SORT} before its range bounds are sampled; the
 *     driver fills it in before the map stage runs
 * @param numPartitions the number of reduce partitions
 * @param keyEncoder the keys crossing the shuffle
 * @param valueEncoder the values crossing the shuffle: for {@link Kind#AGGREGATE}, the aggregates
 * @param aggregator for {@link Kind#AGGREGATE}: merges values map side and aggregates reduce side
 * @param order for {@link Kind#SORT}: the key order ({@link io.dflow.api.KeyOrder} for the natural one)
 */
public record ShuffleSpec(
    Kind kind,
    String name,
    Partitioner partitioner,
    int numPartitions,
    Encoder<?> keyEncoder,
    Encoder<?> valueEncoder,
    Aggregator aggregator,
    KeyComparator<Object> order)
    implements Serializable {

  /** How the reduce side merges what it fetches. */
  public enum Kind {
    /** One aggregate per key (combined map side too). */
    AGGREGATE,
    /** All values of a key in a list. */
    GROUP,
    /** Records sorted by key within a partition; with a range partitioner, a total order. */
    SORT,
    /** Records as they come. */
    PARTITION
  }

  public ShuffleSpec {
    if (numPartitions < 1) {
      throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
    }
    if ((kind == Kind.AGGREGATE) != (aggregator != null)) {
      throw new IllegalArgumentException("an aggregator is needed by, and only by, an aggregating shuffle");
    }
  }

  /** A shuffle that only moves records to {@code partitioner}'s partitions. */
  public static ShuffleSpec partitioning(String name, Partitioner partitioner, Encoder<?> keyEncoder,
      Encoder<?> valueEncoder) {
    return new ShuffleSpec(Kind.PARTITION, name, partitioner, partitioner.numPartitions(),
        keyEncoder, valueEncoder, null, null);
  }

  /** The same shuffle with its partitioner decided. */
  public ShuffleSpec withPartitioner(Partitioner p) {
    return new ShuffleSpec(kind, name, p, p.numPartitions(), keyEncoder, valueEncoder, aggregator, order);
  }

  /** The encoder of the records crossing this shuffle: key/value pairs. */
  public Encoder<?> recordEncoder() {
    return new Encoder.PairOf<>(keyEncoder, valueEncoder);
  }

  /** Whether map tasks merge the values of each key before writing. */
  public boolean combinesMapSide() {
    return kind == Kind.AGGREGATE;
  }

  /** Plan text: {@code reduceByKey[hash,4]}. */
  public String describe() {
    return name + "[" + partitionerName() + "," + numPartitions + "]";
  }

  private String partitionerName() {
    if (partitioner == null || partitioner instanceof RangePartitioner) {
      return "range";
    }
    return partitioner instanceof HashPartitioner ? "hash" : partitioner.getClass().getSimpleName();
  }
}
