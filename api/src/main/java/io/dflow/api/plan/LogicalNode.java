package io.dflow.api.plan;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import java.util.List;

/**
 * One node of a job's logical plan, as the dataset API builds it: sources, narrow steps and
 * shuffles. The planner cuts this DAG into stages at every {@link Shuffle}.
 */
public sealed interface LogicalNode
    permits LogicalNode.TextSource, LogicalNode.CollectionSource, LogicalNode.Narrow,
        LogicalNode.Shuffle {

  /** Unique within a job context, in creation order: keeps plan text deterministic. */
  int id();

  /** How this node's output records are encoded if they cross a shuffle. */
  Encoder<?> encoder();

  /** Lines of text files: a file, a folder of files, or a glob, on any Hadoop file system. */
  record TextSource(int id, String path) implements LogicalNode {
    @Override
    public Encoder<?> encoder() {
      return Encoders.strings();
    }
  }

  /**
   * An in-memory collection. {@code slices} is the number of tasks asked for, or 0 to let the
   * planner choose a few per executor slot.
   */
  record CollectionSource(int id, List<?> data, int slices, Encoder<?> encoder)
      implements LogicalNode {}

  /** A record-at-a-time or per-partition step that needs no regrouping. */
  record Narrow(int id, LogicalNode parent, Step step, Encoder<?> encoder)
      implements LogicalNode {}

  /** A regrouping of key/value records by key: a stage boundary. */
  record Shuffle(int id, LogicalNode parent, ShuffleSpec spec, Encoder<?> encoder)
      implements LogicalNode {}
}
