package io.dflow.planner;

import io.dflow.planner.PartitionOp.InputPartition;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A set of tasks that run the same operators over different partitions, between shuffle
 * boundaries. A result stage has one sink, the action; a map stage has one sink per shuffle it
 * writes (two shuffles over one dataset are written by one stage, which reads the dataset once).
 *
 * @param index its place in the plan: parents come first
 * @param parents the map stages whose shuffles this stage reads
 * @param sources per source operator ({@link PartitionOp#key()}), the input of each partition
 */
public record Stage(int index, List<Sink> sinks, List<Integer> parents,
    Map<Integer, List<TaskInput>> sources) {

  /** One output of a stage: the operator whose records it takes, and what it does with them. */
  public record Sink(PartitionOp root, StageOutput output) implements Serializable {}

  /** A source partition a task reads: partition {@code partition} of source operator {@code opKey}. */
  public record SourcePartition(int opKey, int partition, TaskInput input) implements Serializable {}

  /** Partition {@code partition} of the operator numbered {@code opKey}. */
  public record OpPartition(int opKey, int partition) {}

  public Stage {
    sinks = List.copyOf(sinks);
    parents = List.copyOf(parents);
    sources = Map.copyOf(sources);
    int n = sinks.get(0).root().numPartitions();
    for (Sink s : sinks) {
      if (s.root().numPartitions() != n) {
        throw new IllegalArgumentException("the sinks of a stage must have equal partition counts");
      }
    }
  }

  public int numTasks() {
    return sinks.get(0).root().numPartitions();
  }

  /**
   * How many MPI ranks run this stage as one gang ({@code Dataset.mpi}), or 0 for an ordinary
   * stage of independent tasks. A gang's tasks are its ranks: task {@code i} computes partition
   * {@code i} of every MPI step, so a stage where that is not so (a union or coalesce of a
   * gang's output) cannot be planned.
   *
   * @throws IllegalArgumentException for such a stage, or one holding MPI steps of two sizes
   */
  public int gangSize() {
    int ranks = 0;
    List<Integer> mpiOps = new ArrayList<>();
    for (PartitionOp op : operators()) {
      if (op instanceof PartitionOp.Pipeline p) {
        for (io.dflow.api.plan.Step step : p.steps()) {
          if (step instanceof io.dflow.api.mpi.MpiStep m) {
            if (ranks != 0 && ranks != m.ranks()) {
              throw new IllegalArgumentException("one stage holds mpi(" + ranks + ") and mpi(" + m.ranks()
                  + "); repartition between them");
            }
            ranks = m.ranks();
            mpiOps.add(op.key());
          }
        }
      }
    }
    if (ranks == 0) {
      return 0;
    }
    if (numTasks() != ranks) {
      throw new IllegalArgumentException("the output of mpi(" + ranks + ") is combined into " + numTasks()
          + " tasks (a union or coalesce) in the stage that runs it; shuffle or cache it first");
    }
    for (int task = 0; task < ranks; task++) {
      for (OpPartition used : uses(roots(), task).keySet()) {
        if (mpiOps.contains(used.opKey()) && used.partition() != task) {
          throw new IllegalArgumentException("task " + task + " of a stage running mpi(" + ranks
              + ") would need rank " + used.partition() + "'s output; shuffle or cache it first");
        }
      }
    }
    return ranks;
  }

  public boolean isResult() {
    return sinks.get(0).output() instanceof StageOutput.Result;
  }

  public List<PartitionOp> roots() {
    return sinks.stream().map(Sink::root).toList();
  }

  /** The shuffles this stage's tasks write, in sink order (none for a result stage). */
  public List<ShuffleId> shufflesWritten() {
    List<ShuffleId> out = new ArrayList<>();
    for (Sink s : sinks) {
      if (s.output() instanceof StageOutput.ShuffleWrite w) {
        out.add(w.shuffle());
      }
    }
    return out;
  }

  /** Every operator of the stage, each once, inputs after the operators that read them. */
  public List<PartitionOp> operators() {
    return operators(roots());
  }

  /** Every operator under {@code roots}, each once, inputs after the operators that read them. */
  public static List<PartitionOp> operators(List<PartitionOp> roots) {
    Map<Integer, PartitionOp> seen = new LinkedHashMap<>();
    Deque<PartitionOp> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      PartitionOp op = todo.poll();
      if (seen.putIfAbsent(op.key(), op) == null) {
        todo.addAll(op.inputs());
      }
    }
    return List.copyOf(seen.values());
  }

  /** The shuffles this stage reads, each once. */
  public List<PartitionOp.ReadShuffle> shuffleReads() {
    return operators().stream().filter(PartitionOp.ReadShuffle.class::isInstance)
        .map(PartitionOp.ReadShuffle.class::cast).toList();
  }

  /** The source partitions task {@code partition} reads, with their data. */
  public List<SourcePartition> taskInputs(int partition) {
    List<SourcePartition> out = new ArrayList<>();
    for (OpPartition used : uses(roots(), partition).keySet()) {
      List<TaskInput> inputs = sources.get(used.opKey());
      if (inputs != null) {
        out.add(new SourcePartition(used.opKey(), used.partition(), inputs.get(used.partition())));
      }
    }
    return out;
  }

  /** The hosts holding the source data of task {@code partition}, most bytes first, no repeats. */
  public List<String> preferredHosts(int partition) {
    List<String> hosts = new ArrayList<>();
    for (SourcePartition s : taskInputs(partition)) {
      for (String h : s.input().hosts()) {
        if (!hosts.contains(h)) {
          hosts.add(h);
        }
      }
    }
    return hosts;
  }

  /** The task's source partitions as a lookup table. */
  public static Map<OpPartition, TaskInput> byOpPartition(List<SourcePartition> inputs) {
    Map<OpPartition, TaskInput> out = new HashMap<>();
    for (SourcePartition s : inputs) {
      out.put(new OpPartition(s.opKey(), s.partition()), s.input());
    }
    return out;
  }

  /**
   * What task {@code partition} of {@code roots} reads, for plans and errors: each source
   * partition (as {@code source} shows it) and each shuffle partition it fetches, in the order the
   * task reaches them.
   */
  public static String describeInputs(List<PartitionOp> roots, int partition,
      Map<OpPartition, TaskInput> sources, Function<TaskInput, String> source) {
    Map<Integer, PartitionOp> ops = new HashMap<>();
    for (PartitionOp op : operators(roots)) {
      ops.put(op.key(), op);
    }
    List<String> parts = new ArrayList<>();
    for (OpPartition used : uses(roots, partition).keySet()) {
      PartitionOp op = ops.get(used.opKey());
      if (op instanceof PartitionOp.ReadShuffle r) {
        parts.add("shuffle " + r.shuffle() + " partition " + used.partition());
      } else if (sources.containsKey(used)) {
        parts.add(source.apply(sources.get(used)));
      }
    }
    return parts.isEmpty() ? "no input" : String.join("; ", parts);
  }

  /**
   * How many times one task computing partition {@code partition} of {@code roots} reads each
   * operator partition: an entry above 1 is computed once and kept for its other readers.
   * Inputs are visited once per operator partition, since a kept partition is not recomputed.
   */
  public static Map<OpPartition, Integer> uses(List<PartitionOp> roots, int partition) {
    Map<OpPartition, Integer> uses = new LinkedHashMap<>();
    Deque<InputPartition> todo = new ArrayDeque<>();
    for (PartitionOp root : roots) {
      todo.add(new InputPartition(root, partition));
    }
    while (!todo.isEmpty()) {
      InputPartition at = todo.poll();
      if (uses.merge(new OpPartition(at.op().key(), at.partition()), 1, Integer::sum) == 1) {
        todo.addAll(at.op().inputsOf(at.partition()));
      }
    }
    return uses;
  }
}
