package io.dflow.planner;

import io.dflow.api.Encoder;
import io.dflow.api.StorageLevel;
import io.dflow.api.plan.FileFormat;
import io.dflow.api.plan.Join;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.Step;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One physical operator of a stage: it computes any one of its partitions from partitions of its
 * inputs, all inside one task. A stage's operators form a small DAG whose leaves read sources,
 * shuffles or (through {@link Persisted}) cached blocks; an operator reached twice by one task
 * is computed once. Operators are descriptions only: the executor evaluates them.
 *
 * <p>{@link #key()} numbers an operator within its stage; {@link #nodeId()} names the logical
 * node it computes (for cached blocks and plan text).
 */
public sealed interface PartitionOp extends Serializable {
  int key();

  int nodeId();

  int numPartitions();

  Encoder<?> encoder();

  List<PartitionOp> inputs();

  /** The partitions of its inputs that partition {@code partition} of this operator reads. */
  List<InputPartition> inputsOf(int partition);

  /** One line of plan text. */
  String describe();

  /** Partition {@code partition} of {@code op}. */
  record InputPartition(PartitionOp op, int partition) {}

  /** An operator computing each partition from the same partition of its one input. */
  sealed interface OneToOne extends PartitionOp {
    PartitionOp input();

    @Override
    default int numPartitions() {
      return input().numPartitions();
    }

    @Override
    default List<PartitionOp> inputs() {
      return List.of(input());
    }

    @Override
    default List<InputPartition> inputsOf(int partition) {
      return List.of(new InputPartition(input(), partition));
    }
  }

  /** An operator with no inputs in its stage: it reads a source, a shuffle or a cached block. */
  sealed interface Leaf extends PartitionOp {
    @Override
    default List<PartitionOp> inputs() {
      return List.of();
    }

    @Override
    default List<InputPartition> inputsOf(int partition) {
      return List.of();
    }
  }

  /** The records of files in {@code format}, one split per partition (the splits travel with the tasks). */
  record ScanFiles(int key, int nodeId, String path, int numPartitions, FileFormat format, Encoder<?> encoder)
      implements Leaf {
    @Override
    public String describe() {
      String detail = format.detail();
      return format.sourceName() + " " + path + (detail.isEmpty() ? "" : " [" + detail + "]")
          + " (" + plural(numPartitions, "split") + ")";
    }
  }

  /** An in-memory collection, one slice per partition (the slices travel with the tasks). */
  record ScanCollection(int key, int nodeId, int numPartitions, int records, Encoder<?> encoder)
      implements Leaf {
    @Override
    public String describe() {
      return "parallelize (" + records + " records in " + plural(numPartitions, "slice") + ")";
    }
  }

  /** Reduce partition {@code p} of a shuffle, fetched from every map output and merged by the spec's kind. */
  record ReadShuffle(int key, int nodeId, ShuffleId shuffle, ShuffleSpec spec, Encoder<?> encoder)
      implements Leaf {
    @Override
    public int numPartitions() {
      return spec.numPartitions();
    }

    @Override
    public String describe() {
      return "read shuffle " + shuffle + " " + spec.describe();
    }
  }

  /**
   * A wide step over an input already partitioned by the step's partitioner: the reduce-side
   * merge applied to each partition where it is, no shuffle.
   */
  record MergeInPlace(int key, int nodeId, PartitionOp input, ShuffleSpec spec, Encoder<?> encoder)
      implements OneToOne {
    @Override
    public String describe() {
      return spec.describe() + " in place (input already partitioned)";
    }
  }

  /** Narrow steps fused into one chain of iterator transforms. */
  record Pipeline(int key, int nodeId, PartitionOp input, List<Step> steps, Encoder<?> encoder)
      implements OneToOne {
    public Pipeline {
      steps = List.copyOf(steps);
    }

    @Override
    public String describe() {
      return String.join(" -> ", steps.stream().map(Step::name).toList());
    }
  }

  /** The partitions of each input in turn. */
  record UnionOp(int key, int nodeId, List<PartitionOp> inputs, Encoder<?> encoder)
      implements PartitionOp {
    public UnionOp {
      inputs = List.copyOf(inputs);
    }

    @Override
    public int numPartitions() {
      return inputs.stream().mapToInt(PartitionOp::numPartitions).sum();
    }

    @Override
    public List<InputPartition> inputsOf(int partition) {
      int at = partition;
      for (PartitionOp input : inputs) {
        if (at < input.numPartitions()) {
          return List.of(new InputPartition(input, at));
        }
        at -= input.numPartitions();
      }
      throw new IndexOutOfBoundsException("union has " + numPartitions() + " partitions, not " + (partition + 1));
    }

    @Override
    public String describe() {
      return "union";
    }
  }

  /**
   * Partition {@code i} is input partitions {@code starts[i] .. starts[i+1]-1} one after another.
   *
   * @param starts {@code numPartitions + 1} increasing boundaries, from 0 to the input's count
   */
  record CoalesceOp(int key, int nodeId, PartitionOp input, List<Integer> starts, Encoder<?> encoder)
      implements PartitionOp {
    public CoalesceOp {
      starts = List.copyOf(starts);
    }

    @Override
    public int numPartitions() {
      return starts.size() - 1;
    }

    @Override
    public List<PartitionOp> inputs() {
      return List.of(input);
    }

    @Override
    public List<InputPartition> inputsOf(int partition) {
      List<InputPartition> out = new ArrayList<>();
      for (int p = starts.get(partition); p < starts.get(partition + 1); p++) {
        out.add(new InputPartition(input, p));
      }
      return out;
    }

    @Override
    public String describe() {
      return "coalesce " + input.numPartitions() + " -> " + numPartitions() + " partitions";
    }
  }

  /** Partition {@code p} of every input (all partitioned alike), grouped by key. */
  record CoGroupOp(int key, int nodeId, List<PartitionOp> inputs, Encoder<?> encoder)
      implements PartitionOp {
    public CoGroupOp {
      inputs = List.copyOf(inputs);
    }

    @Override
    public int numPartitions() {
      return inputs.get(0).numPartitions();
    }

    @Override
    public List<InputPartition> inputsOf(int partition) {
      return inputs.stream().map(in -> new InputPartition(in, partition)).toList();
    }

    @Override
    public String describe() {
      return "cogroup of " + inputs.size();
    }
  }

  /**
   * Partition {@code p} of a join's two sides merged in key order: each side is a sorted shuffle
   * read (sorted map side and merged) or, when already partitioned by the join's partitioner, a
   * partition sorted where it is by its {@code orders} spec. The left side streams; the right
   * side's values of one key are held while the left values of that key pass.
   *
   * @param orders for each input, the sort-within-partitions spec that orders it by key
   */
  record SortMergeJoinOp(int key, int nodeId, List<PartitionOp> inputs, Join join, List<ShuffleSpec> orders,
      Encoder<?> encoder) implements PartitionOp {
    public SortMergeJoinOp {
      inputs = List.copyOf(inputs);
      orders = List.copyOf(orders);
    }

    @Override
    public int numPartitions() {
      return inputs.get(0).numPartitions();
    }

    @Override
    public List<InputPartition> inputsOf(int partition) {
      return inputs.stream().map(in -> new InputPartition(in, partition)).toList();
    }

    /**
     * Whether input {@code i} arrives sorted by key in its order spec's order (a shuffle sorted
     * that way: the join's own, or a {@code repartitionAndSortWithinPartitions} in ascending
     * order by the join's partitioner) rather than to be sorted here.
     */
    public boolean sortedInput(int i) {
      return inputs.get(i) instanceof ReadShuffle read && read.spec().kind() == ShuffleSpec.Kind.SORT
          && orders.get(i).order().equals(read.spec().order());
    }

    @Override
    public String describe() {
      List<String> sides = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        sides.add(sortedInput(i) ? "sorted map side" : "sorted in place");
      }
      return "sort-merge " + join.step() + " by key (" + String.join(", ", sides)
          + "; streams the left side, holds one key's right values)";
    }
  }

  /** A dataset kept by {@code persist}: read from the block store, or computed once and stored there. */
  record Persisted(int key, int nodeId, PartitionOp input, StorageLevel level) implements OneToOne {
    @Override
    public Encoder<?> encoder() {
      return input.encoder();
    }

    @Override
    public String describe() {
      return "persisted " + level + " (dataset " + nodeId + ")";
    }
  }

  private static String plural(int n, String word) {
    return n + " " + (n == 1 ? word : word + "s");
  }
}
