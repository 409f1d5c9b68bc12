package io.dflow.api.plan;

import io.dflow.api.Encoder;
import io.dflow.api.KeyOrder;
import io.dflow.api.Partitioner;
import io.dflow.api.function.ReduceFunction;
import java.io.Serializable;

/**
 * What a shuffle does: how map outputs are partitioned and combined, and how the reduce side
 * merges them.
 *
 * @param partitioner null only for {@link Kind#SORT_BY_KEY} before its range bounds are
 *     sampled; the driver fills it in before the map stage runs
 * @param numPartitions the number of reduce partitions
 * @param combiner for {@link Kind#REDUCE_BY_KEY}: merges values map side and reduce side
 * @param order for {@link Kind#SORT_BY_KEY}: the key order
 */
public record ShuffleSpec(
    Kind kind,
    Partitioner partitioner,
    int numPartitions,
    Encoder<?> keyEncoder,
    Encoder<?> valueEncoder,
    ReduceFunction<Object> combiner,
    KeyOrder order)
    implements Serializable {

  /** The wide steps. */
  public enum Kind {
    REDUCE_BY_KEY("reduceByKey"),
    GROUP_BY_KEY("groupByKey"),
    SORT_BY_KEY("sortByKey"),
    PARTITION_BY("partitionBy");

    private final String apiName;

    Kind(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }
  }

  /** The same shuffle with its partitioner decided. */
  public ShuffleSpec withPartitioner(Partitioner p) {
    return new ShuffleSpec(kind, p, p.numPartitions(), keyEncoder, valueEncoder, combiner, order);
  }

  /** The encoder of the records crossing this shuffle: key/value pairs. */
  public Encoder<?> recordEncoder() {
    return new Encoder.PairOf<>(keyEncoder, valueEncoder);
  }

  /** Plan text: {@code reduceByKey[hash,4]}. */
  public String describe() {
    String how = partitioner == null ? "range" : partitionerName();
    return kind.apiName() + "[" + how + "," + numPartitions + "]";
  }

  private String partitionerName() {
    String simple = partitioner.getClass().getSimpleName();
    return switch (simple) {
      case "HashPartitioner" -> "hash";
      case "RangePartitioner" -> "range";
      default -> simple;
    };
  }
}
