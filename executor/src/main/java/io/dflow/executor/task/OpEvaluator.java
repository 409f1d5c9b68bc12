package io.dflow.executor.task;

import io.dflow.api.Encoder;
import io.dflow.api.StorageLevel;
import io.dflow.api.plan.Steps;
import io.dflow.executor.protocol.CachedBlockLocation;
import io.dflow.executor.shuffle.CoGrouper;
import io.dflow.executor.shuffle.Merger;
import io.dflow.executor.shuffle.ShuffleReader;
import io.dflow.executor.shuffle.SortMergeJoiner;
import io.dflow.executor.storage.BlockStore;
import io.dflow.executor.storage.PartitionBuffer;
import io.dflow.formats.ColumnarSplit;
import io.dflow.formats.FormatReaders;
import io.dflow.formats.SplitRecords;
import io.dflow.hdfs.TextSplitReader;
import io.dflow.planner.PartitionOp;
import io.dflow.planner.PartitionOp.InputPartition;
import io.dflow.planner.Stage;
import io.dflow.planner.Stage.OpPartition;
import io.dflow.planner.TaskInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * Computes partitions of a stage's operators inside one task, pulling records through iterator
 * chains. An operator partition the task reads more than once is computed once and kept (in a
 * buffer of the task, spilling to its scratch folder); a persisted one is read from the block
 * store, fetched from the executor that holds it, or computed and stored.
 */
final class OpEvaluator {
  private final TaskContext ctx;
  private final Map<OpPartition, Integer> uses;
  private final Map<OpPartition, TaskInput> sources;
  private final Map<OpPartition, PartitionBuffer> kept = new HashMap<>();

  OpEvaluator(TaskContext ctx, List<PartitionOp> roots, Map<OpPartition, TaskInput> sources) {
    this.ctx = ctx;
    this.uses = Stage.uses(roots, ctx.partition());
    this.sources = sources;
  }

  Iterator<Object> compute(PartitionOp op, int partition) throws IOException {
    OpPartition key = new OpPartition(op.key(), partition);
    PartitionBuffer buffer = kept.get(key);
    if (buffer != null) {
      return ctx.read(buffer);
    }
    if (op instanceof PartitionOp.Persisted persisted) {
      buffer = persisted(persisted, partition);
    } else if (uses.getOrDefault(key, 1) > 1) {
      buffer = ctx.closeLater(ctx.keep(evaluate(op, partition), op.encoder(), ctx.env.keepInMemoryBytes()));
    } else {
      return evaluate(op, partition);
    }
    kept.put(key, buffer);
    return ctx.read(buffer);
  }

  private Iterator<Object> evaluate(PartitionOp op, int partition) throws IOException {
    if (op instanceof PartitionOp.ScanFiles scan) {
      TaskInput.ReadSplit read = (TaskInput.ReadSplit) source(op, partition);
      int maxLine = Integer.parseInt(ctx.conf(TextSplitReader.MAX_LINE_BYTES_KEY,
          String.valueOf(TextSplitReader.DEFAULT_MAX_LINE_BYTES)));
      ctx.inputBytes += read.split().totalBytes();
      SplitRecords records = ctx.closeLater(FormatReaders.open(scan.format(), scan.encoder(), read.split(),
          ctx.hadoop(), maxLine, ctx.allocator(), ctx::progressed));
      ctx.reading(read.split(), records::describePosition);
      // a columnar split stays itself, so that mapBatches can take its batches as they are
      return records instanceof ColumnarSplit ? records : ctx.counting(records);
    }
    if (op instanceof PartitionOp.ScanCollection) {
      return ctx.counting(((TaskInput.ReadSlice) source(op, partition)).records().iterator());
    }
    if (op instanceof PartitionOp.ReadShuffle read) {
      ShuffleReader fetched = ctx.closeLater(new ShuffleReader(read.shuffle(), partition,
          ctx.stage.shuffleInputs().get(read.shuffle()), ctx.env.fetcher(),
          ctx.segmentOpener(read.spec().recordEncoder()), ctx.maxBytesInFlight(), ctx::addShuffleBytesRead,
          ctx.maxRemoteBlockSizeFetchToMem(), ctx.sortSettings().spillFiles()));
      return ctx.counting(Merger.mergeFetched(read.spec(), fetched, ctx.sortSettings()));
    }
    if (op instanceof PartitionOp.MergeInPlace merge) {
      return Merger.merge(merge.spec(), false, compute(merge.input(), partition), ctx.sortSettings());
    }
    if (op instanceof PartitionOp.Pipeline pipe) {
      return Steps.pipeline(pipe.steps(), partition, compute(pipe.input(), partition));
    }
    if (op instanceof PartitionOp.UnionOp union) {
      InputPartition in = union.inputsOf(partition).get(0);
      return compute(in.op(), in.partition());
    }
    if (op instanceof PartitionOp.CoalesceOp coalesce) {
      return new Concat(coalesce.inputsOf(partition));
    }
    if (op instanceof PartitionOp.CoGroupOp cogroup) {
      List<Iterator<Object>> inputs = new ArrayList<>();
      List<Encoder<?>> encoders = new ArrayList<>();
      for (InputPartition in : cogroup.inputsOf(partition)) {
        inputs.add(compute(in.op(), in.partition()));
        encoders.add(in.op().encoder());
      }
      return CoGrouper.group(inputs, encoders, ctx.sortSettings());
    }
    if (op instanceof PartitionOp.SortMergeJoinOp join) {
      List<Iterator<Object>> sides = new ArrayList<>();
      List<InputPartition> ins = join.inputsOf(partition);
      for (int i = 0; i < ins.size(); i++) {
        Iterator<Object> in = compute(ins.get(i).op(), ins.get(i).partition());
        sides.add(join.sortedInput(i) ? in : Merger.merge(join.orders().get(i), false, in, ctx.sortSettings()));
      }
      return new SortMergeJoiner(join.join(), join.orders().get(0), join.orders().get(1), sides.get(0), sides.get(1),
          ctx.sortSettings());
    }
    throw new IllegalStateException("no evaluation for " + op.getClass().getSimpleName());
  }

  private TaskInput source(PartitionOp op, int partition) {
    TaskInput input = sources.get(new OpPartition(op.key(), partition));
    if (input == null) {
      throw new IllegalStateException("task " + ctx.launch.attempt() + " was sent no input for "
          + op.describe() + " partition " + partition);
    }
    return input;
  }

  /** The kept partition of a persisted dataset: stored here, fetched from its holder, or computed and stored. */
  private PartitionBuffer persisted(PartitionOp.Persisted op, int partition) throws IOException {
    BlockStore store = ctx.env.blocks();
    PartitionBuffer buffer = store.get(op.nodeId(), partition);
    if (buffer != null) {
      return buffer;
    }
    buffer = fetchCached(op, partition);
    if (buffer != null) {
      return buffer;
    }
    long memory = op.level() == StorageLevel.DISK ? 0 : store.memoryBytes();
    buffer = ctx.keep(compute(op.input(), partition), op.encoder(), memory);
    var updates = store.put(op.nodeId(), partition, buffer, op.level());
    if (ctx.env.rank() == null) {
      ctx.blockUpdates.addAll(updates); // a rank's store ends with the rank: nobody could fetch from it
    }
    boolean stored = updates.stream().anyMatch(u -> u.stored() && u.node() == op.nodeId() && u.partition() == partition);
    if (!stored) {
      ctx.closeLater(buffer);
    }
    return buffer;
  }

  /** The partition fetched from another executor that the driver says holds it, or null. */
  private PartitionBuffer fetchCached(PartitionOp.Persisted op, int partition) {
    for (CachedBlockLocation at : ctx.launch.cached()) {
      // an executor's own store was looked in already; a rank runs beside its executor, so it fetches from it too
      boolean ownStore = at.executor().equals(ctx.env.executor()) && ctx.env.rank() == null;
      if (at.node() != op.nodeId() || at.partition() != partition || ownStore) {
        continue;
      }
      try {
        byte[] bytes = ctx.env.fetcher().fetch(at.executor(), at.address(), at.port(),
            BlockStore.blockId(op.nodeId(), partition)).get(5, TimeUnit.MINUTES).readAll();
        return PartitionBuffer.ofBytes(op.encoder(), bytes);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (Exception e) {
        // evicted or unreachable: recompute it from its lineage
      }
    }
    return null;
  }

  /** The partitions of an operator one after another, each computed when the one before it is done. */
  private final class Concat implements Iterator<Object> {
    private final List<InputPartition> parts;
    private int next;
    private Iterator<Object> current = java.util.Collections.emptyIterator();

    Concat(List<InputPartition> parts) {
      this.parts = parts;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext()) {
        if (next == parts.size()) {
          return false;
        }
        InputPartition in = parts.get(next++);
        try {
          current = compute(in.op(), in.partition());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return true;
    }

    @Override
    public Object next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }
}
