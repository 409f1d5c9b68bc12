package io.dflow.api.plan;

import io.dflow.api.Encoder;
import io.dflow.api.Partitioner;
import java.util.List;

/**
 * One node of a job's logical plan, as the dataset API builds it. The plan is a DAG: a node has
 * any number of inputs ({@link #children()}), and a dataset used twice is one node, which the
 * planner plans once. The planner cuts the DAG into stages at every {@link Shuffle} and at every
 * input of a {@link CoGroup} that is not already partitioned as the cogroup needs.
 */
public sealed interface LogicalNode
    permits LogicalNode.FileSource, LogicalNode.CollectionSource, LogicalNode.Narrow,
        LogicalNode.Shuffle, LogicalNode.CoGroup, LogicalNode.Union, LogicalNode.Coalesce {

  /** Unique within a job context, in creation order: names the node in plans, caches and shuffles. */
  int id();

  /** How this node's output records are encoded when they cross a shuffle or are cached. */
  Encoder<?> encoder();

  /** The nodes this one reads, in order. */
  List<LogicalNode> children();

  /** The partitioner this node's records are known to be partitioned by, or null. */
  default Partitioner partitioner() {
    return null;
  }

  /**
   * The records of files in {@code format}: a file, a folder of files, or a glob, on any Hadoop
   * file system.
   */
  record FileSource(int id, String path, FileFormat format, Encoder<?> encoder) implements LogicalNode {
    @Override
    public List<LogicalNode> children() {
      return List.of();
    }
  }

  /**
   * An in-memory collection. {@code slices} is the number of tasks asked for, or 0 to let the
   * planner choose a few per executor slot.
   */
  record CollectionSource(int id, List<?> data, int slices, Encoder<?> encoder)
      implements LogicalNode {
    @Override
    public List<LogicalNode> children() {
      return List.of();
    }
  }

  /**
   * A record-at-a-time or per-partition step that needs no regrouping.
   *
   * @param keepsPartitioning true for steps that leave keys where they are (mapValues, filter):
   *     the output stays partitioned like the input
   */
  record Narrow(int id, LogicalNode parent, Step step, Encoder<?> encoder, boolean keepsPartitioning)
      implements LogicalNode {
    @Override
    public List<LogicalNode> children() {
      return List.of(parent);
    }

    @Override
    public Partitioner partitioner() {
      return keepsPartitioning ? parent.partitioner() : null;
    }
  }

  /** A regrouping of key/value records by key: a stage boundary. */
  record Shuffle(int id, LogicalNode parent, ShuffleSpec spec, Encoder<?> encoder)
      implements LogicalNode {
    @Override
    public List<LogicalNode> children() {
      return List.of(parent);
    }

    @Override
    public Partitioner partitioner() {
      return spec.partitioner();
    }
  }

  /**
   * The values of each key from every parent, side by side: a record
   * {@code Pair(key, List(values of parent 0, values of parent 1, ...))} per key. A parent
   * already partitioned by {@code partitioner} is read where it is; any other is shuffled.
   * With a {@code join} (two parents), the records are that join's instead,
   * {@code Pair(key, joined value)}, and the planner chooses how it runs (pairing the lists of a
   * cogroup, or a sort-merge join).
   */
  record CoGroup(int id, List<LogicalNode> parents, Partitioner partitioner, Encoder<?> encoder, Join join)
      implements LogicalNode {
    public CoGroup {
      parents = List.copyOf(parents);
      if (join != null && parents.size() != 2) {
        throw new IllegalArgumentException("a join has two sides, got " + parents.size());
      }
    }

    /** A plain cogroup: the lists of values of each parent. */
    public CoGroup(int id, List<LogicalNode> parents, Partitioner partitioner, Encoder<?> encoder) {
      this(id, parents, partitioner, encoder, null);
    }

    @Override
    public List<LogicalNode> children() {
      return parents;
    }
  }

  /** The partitions of every parent, one after another: no data moves. */
  record Union(int id, List<LogicalNode> parents, Encoder<?> encoder) implements LogicalNode {
    public Union {
      parents = List.copyOf(parents);
    }

    @Override
    public List<LogicalNode> children() {
      return parents;
    }
  }

  /** Fewer partitions by concatenating neighbouring ones of the parent: no data moves. */
  record Coalesce(int id, LogicalNode parent, int numPartitions, Encoder<?> encoder)
      implements LogicalNode {
    @Override
    public List<LogicalNode> children() {
      return List.of(parent);
    }
  }
}
