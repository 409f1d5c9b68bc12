package io.dflow.planner;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.KeyOrder;
import io.dflow.api.Partitioner;
import io.dflow.api.StorageLevel;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.InputFile;
import io.dflow.api.plan.LogicalNode;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.Step;
import io.dflow.planner.split.SplitPlanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a job's logical DAG into stages. Narrow steps are fused into the operators of the stage
 * that computes their input; every shuffle (a wide step whose input is not already partitioned
 * as it needs, or such an input of a cogroup) ends a map stage and is read by a later stage. Map
 * stages whose inputs overlap and whose partition counts agree become one stage with several
 * outputs, so a dataset feeding two shuffles is computed once. Pure: it lists files through an
 * {@link InputCatalog} and does no other I/O.
 */
public final class Planner {
  private final PlannerConf conf;
  private final InputCatalog catalog;

  public Planner(PlannerConf conf, InputCatalog catalog) {
    this.conf = conf;
    this.catalog = catalog;
  }

  public PhysicalPlan plan(LogicalNode root, Action action) {
    return plan(root, action, PlanInputs.NONE);
  }

  /** Plans {@code action} over {@code root}, given what the application already has. */
  public PhysicalPlan plan(LogicalNode root, Action action, PlanInputs inputs) {
    return new Cut(inputs).run(root, action);
  }

  /** Where one shuffle starts: its id, the node whose records it moves, how. */
  private record Boundary(ShuffleId id, LogicalNode mapRoot, ShuffleSpec spec) {}

  /** The state of planning one job. */
  private final class Cut {
    private final Map<Integer, StorageLevel> persisted;
    private final Set<ShuffleId> known;
    private final Map<Integer, Partitioner> sorts;
    private final Map<Integer, Integer> consumers = new HashMap<>();
    private final Map<Integer, List<FileSplit>> splits = new HashMap<>();
    private final Map<Integer, Integer> partitions = new HashMap<>();
    private final Map<ShuffleId, Boundary> boundaries = new LinkedHashMap<>();
    private final Map<ShuffleId, Integer> groupOf = new HashMap<>();
    private final Map<Integer, Integer> stageOfGroup = new HashMap<>();
    private final List<Stage> stages = new ArrayList<>();

    Cut(PlanInputs inputs) {
      this.persisted = inputs.persisted();
      this.known = inputs.known();
      this.sorts = inputs.sortPartitioners();
    }

    /** A wide step's spec, with the range bounds sampled for a sort. */
    private ShuffleSpec specOf(LogicalNode.Shuffle s) {
      Partitioner sampled = sorts.get(s.id());
      return s.spec().partitioner() == null && sampled != null ? s.spec().withPartitioner(sampled) : s.spec();
    }

    PhysicalPlan run(LogicalNode root, Action action) {
      countConsumers(root, new HashSet<>());
      findBoundaries(root, new HashSet<>());
      groupMapStages();
      StageBuilder result = new StageBuilder();
      PartitionOp op = result.build(root);
      stages.add(result.finish(List.of(new Stage.Sink(op, new StageOutput.Result(action)))));
      return new PhysicalPlan(action, stages);
    }

    // ---- the logical DAG

    private void countConsumers(LogicalNode node, Set<Integer> seen) {
      if (!seen.add(node.id())) {
        return;
      }
      for (LogicalNode child : node.children()) {
        consumers.merge(child.id(), 1, Integer::sum);
        countConsumers(child, seen);
      }
    }

    private void findBoundaries(LogicalNode node, Set<Integer> seen) {
      if (!seen.add(node.id())) {
        return;
      }
      for (int i = 0; i < node.children().size(); i++) {
        Boundary b = boundaryAt(node, i);
        if (b != null) {
          boundaries.putIfAbsent(b.id(), b);
        }
        findBoundaries(node.children().get(i), seen);
      }
    }

    /** The shuffle between {@code node} and its input {@code i}, or null if that input is read in place. */
    private Boundary boundaryAt(LogicalNode node, int i) {
      if (node instanceof LogicalNode.Shuffle s) {
        ShuffleSpec spec = specOf(s);
        boolean inPlace = spec.kind() != ShuffleSpec.Kind.SORT && spec.partitioner() != null
            && spec.partitioner().equals(s.parent().partitioner());
        return inPlace ? null : new Boundary(new ShuffleId(s.id(), 0), s.parent(), spec);
      }
      if (node instanceof LogicalNode.CoGroup c) {
        LogicalNode input = c.parents().get(i);
        if (c.partitioner().equals(input.partitioner())) {
          return null;
        }
        Encoder.PairOf<?, ?> pair = (Encoder.PairOf<?, ?>) input.encoder();
        return new Boundary(new ShuffleId(c.id(), i), input, sortMerge(c) ? sortWithin(c, i)
            : ShuffleSpec.partitioning("cogroup", c.partitioner(), pair.key(), pair.value()));
      }
      return null;
    }

    /**
     * Whether join {@code c} runs as a sort-merge join: asked for (or, with {@code auto}, when a
     * side is shuffled anyway) and its keys have a natural order to sort by.
     */
    private boolean sortMerge(LogicalNode.CoGroup c) {
      if (c.join() == null || !(((Encoder.PairOf<?, ?>) c.encoder()).key() instanceof Encoder.Scalar<?>)) {
        return false;
      }
      return switch (conf.joinStrategy()) {
        case HASH -> false;
        case SORT_MERGE -> true;
        case AUTO -> c.parents().stream().anyMatch(p -> !c.partitioner().equals(p.partitioner()));
      };
    }

    /** The shuffle (or in-place sort) that brings side {@code i} of a sort-merge join to its partitions in key order. */
    private ShuffleSpec sortWithin(LogicalNode.CoGroup c, int i) {
      Encoder.PairOf<?, ?> pair = (Encoder.PairOf<?, ?>) c.parents().get(i).encoder();
      return new ShuffleSpec(ShuffleSpec.Kind.SORT, "sortMergeJoin", c.partitioner(),
          c.partitioner().numPartitions(), pair.key(), pair.value(), null, KeyOrder.ASCENDING);
    }

    private int partitionsOf(LogicalNode node) {
      Integer known = partitions.get(node.id());
      if (known != null) {
        return known;
      }
      int n;
      if (node instanceof LogicalNode.FileSource files) {
        n = splitsOf(files).size();
      } else if (node instanceof LogicalNode.CollectionSource coll) {
        n = slices(coll);
      } else if (node instanceof LogicalNode.Narrow narrow) {
        n = partitionsOf(narrow.parent());
      } else if (node instanceof LogicalNode.Shuffle s) {
        n = s.spec().numPartitions();
      } else if (node instanceof LogicalNode.CoGroup c) {
        n = c.partitioner().numPartitions();
      } else if (node instanceof LogicalNode.Union u) {
        n = u.parents().stream().mapToInt(this::partitionsOf).sum();
      } else {
        LogicalNode.Coalesce c = (LogicalNode.Coalesce) node;
        n = Math.min(c.numPartitions(), partitionsOf(c.parent()));
      }
      partitions.put(node.id(), n);
      return n;
    }

    private List<FileSplit> splitsOf(LogicalNode.FileSource source) {
      return splits.computeIfAbsent(source.id(), id -> {
        try {
          List<InputFile> files = catalog.list(source.path()).stream()
              .map(f -> new InputFile(f.path(), f.length(), f.blocks(), source.format().splittable(f)))
              .toList();
          return SplitPlanner.plan(files, conf.maxSplitBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }

    private int slices(LogicalNode.CollectionSource coll) {
      if (coll.slices() > 0) {
        return coll.slices();
      }
      return Math.max(1, Math.min(coll.data().size(), conf.defaultParallelism() * conf.slicesPerSlot()));
    }

    // ---- which shuffles share a map stage

    /** Adds the nodes a stage computing {@code node} computes too, and the shuffles it reads. */
    private void region(LogicalNode node, Set<Integer> nodes, Set<ShuffleId> reads) {
      if (!nodes.add(node.id())) {
        return;
      }
      for (int i = 0; i < node.children().size(); i++) {
        Boundary b = boundaryAt(node, i);
        if (b != null) {
          reads.add(b.id());
        } else {
          region(node.children().get(i), nodes, reads);
        }
      }
    }

    /**
     * Puts each shuffle in a group of its own, then merges the groups of two shuffles whose map
     * sides share a node and have as many partitions, as long as no group then depends on
     * itself. A shuffle of an earlier job stays alone.
     */
    private void groupMapStages() {
      List<ShuffleId> ids = new ArrayList<>(boundaries.keySet());
      Map<ShuffleId, Set<Integer>> nodes = new HashMap<>();
      Map<ShuffleId, Set<ShuffleId>> reads = new HashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        ShuffleId id = ids.get(i);
        Set<Integer> n = new HashSet<>();
        Set<ShuffleId> r = new LinkedHashSet<>();
        region(boundaries.get(id).mapRoot(), n, r);
        nodes.put(id, n);
        reads.put(id, r);
        groupOf.put(id, i);
      }
      for (int i = 0; i < ids.size(); i++) {
        for (int j = i + 1; j < ids.size(); j++) {
          ShuffleId a = ids.get(i);
          ShuffleId b = ids.get(j);
          int ga = groupOf.get(a);
          int gb = groupOf.get(b);
          if (ga == gb || known.contains(a) || known.contains(b)
              || partitionsOf(boundaries.get(a).mapRoot()) != partitionsOf(boundaries.get(b).mapRoot())
              || Collections.disjoint(nodes.get(a), nodes.get(b))) {
            continue;
          }
          Map<ShuffleId, Integer> before = new HashMap<>(groupOf);
          groupOf.replaceAll((id, g) -> g == gb ? ga : g);
          if (!acyclic(reads)) {
            groupOf.putAll(before);
          }
        }
      }
    }

    /** Whether the groups' dependencies (a group reads what another writes) have no cycle. */
    private boolean acyclic(Map<ShuffleId, Set<ShuffleId>> reads) {
      Map<Integer, Set<Integer>> edges = new HashMap<>();
      for (Map.Entry<ShuffleId, Set<ShuffleId>> e : reads.entrySet()) {
        int from = groupOf.get(e.getKey());
        for (ShuffleId read : e.getValue()) {
          edges.computeIfAbsent(from, g -> new HashSet<>()).add(groupOf.get(read));
        }
      }
      Map<Integer, Integer> state = new HashMap<>();
      for (Integer g : edges.keySet()) {
        if (cycleFrom(g, edges, state)) {
          return false;
        }
      }
      return true;
    }

    private boolean cycleFrom(int g, Map<Integer, Set<Integer>> edges, Map<Integer, Integer> state) {
      Integer s = state.get(g);
      if (s != null) {
        return s == 1;
      }
      state.put(g, 1);
      for (int next : edges.getOrDefault(g, Set.of())) {
        if (cycleFrom(next, edges, state)) {
          return true;
        }
      }
      state.put(g, 2);
      return false;
    }

    /** The plan index of the map stage writing {@code shuffle}, built (with its parents) on first use. */
    private int mapStage(ShuffleId shuffle) {
      int group = groupOf.get(shuffle);
      Integer index = stageOfGroup.get(group);
      if (index != null) {
        return index;
      }
      StageBuilder builder = new StageBuilder();
      List<Stage.Sink> sinks = new ArrayList<>();
      for (Boundary b : boundaries.values()) {
        if (groupOf.get(b.id()) == group) {
          sinks.add(new Stage.Sink(builder.build(b.mapRoot()), new StageOutput.ShuffleWrite(b.id(), b.spec())));
        }
      }
      Stage stage = builder.finish(sinks);
      stages.add(stage);
      stageOfGroup.put(group, stage.index());
      return stage.index();
    }

    /** Builds the operators of one stage, each logical node once. */
    private final class StageBuilder {
      private final Map<Integer, PartitionOp> ops = new HashMap<>();
      private final Map<Integer, List<TaskInput>> sources = new HashMap<>();
      private final Set<Integer> parents = new LinkedHashSet<>();
      private int nextKey;

      PartitionOp build(LogicalNode node) {
        PartitionOp op = ops.get(node.id());
        if (op != null) {
          return op;
        }
        op = compute(node);
        StorageLevel level = persisted.get(node.id());
        if (level != null) {
          op = new PartitionOp.Persisted(nextKey++, node.id(), op, level);
        }
        ops.put(node.id(), op);
        return op;
      }

      Stage finish(List<Stage.Sink> sinks) {
        Stage stage = new Stage(stages.size(), sinks, List.copyOf(parents), sources);
        stage.gangSize(); // a gang whose ranks are not its tasks fails here, at plan time
        return stage;
      }

      private PartitionOp compute(LogicalNode node) {
        if (node instanceof LogicalNode.FileSource files) {
          List<FileSplit> s = splitsOf(files);
          int key = nextKey++;
          sources.put(key, s.stream().map(split -> (TaskInput) new TaskInput.ReadSplit(split)).toList());
          return new PartitionOp.ScanFiles(key, files.id(), files.path(), s.size(), files.format(), files.encoder());
        }
        if (node instanceof LogicalNode.CollectionSource coll) {
          List<List<Object>> slices = Slicer.slice(coll.data(), slices(coll));
          int key = nextKey++;
          sources.put(key, slices.stream().map(slice -> (TaskInput) new TaskInput.ReadSlice(slice)).toList());
          return new PartitionOp.ScanCollection(key, coll.id(), slices.size(), coll.data().size(), coll.encoder());
        }
        if (node instanceof LogicalNode.Narrow narrow) {
          PartitionOp input = build(narrow.parent());
          if (input instanceof PartitionOp.Pipeline p && consumers.get(narrow.parent().id()) == 1) {
            List<Step> steps = new ArrayList<>(p.steps());
            steps.add(narrow.step());
            return new PartitionOp.Pipeline(p.key(), narrow.id(), p.input(), steps, narrow.encoder());
          }
          return new PartitionOp.Pipeline(nextKey++, narrow.id(), input, List.of(narrow.step()), narrow.encoder());
        }
        if (node instanceof LogicalNode.Shuffle s) {
          Boundary b = boundaryAt(s, 0);
          if (b == null) {
            return new PartitionOp.MergeInPlace(nextKey++, s.id(), build(s.parent()), specOf(s), s.encoder());
          }
          return read(b, s.id(), s.encoder());
        }
        if (node instanceof LogicalNode.CoGroup c) {
          List<PartitionOp> inputs = new ArrayList<>();
          for (int i = 0; i < c.parents().size(); i++) {
            Boundary b = boundaryAt(c, i);
            LogicalNode input = c.parents().get(i);
            inputs.add(b == null ? build(input) : read(b, input.id(), input.encoder()));
          }
          if (c.join() == null) {
            return new PartitionOp.CoGroupOp(nextKey++, c.id(), inputs, c.encoder());
          }
          if (sortMerge(c)) {
            List<ShuffleSpec> orders = List.of(sortWithin(c, 0), sortWithin(c, 1));
            return new PartitionOp.SortMergeJoinOp(nextKey++, c.id(), inputs, c.join(), orders, c.encoder());
          }
          Encoder<?> lists = Encoders.pairs(((Encoder.PairOf<?, ?>) c.encoder()).key(),
              Encoders.javaUnchecked(List.class));
          PartitionOp grouped = new PartitionOp.CoGroupOp(nextKey++, c.id(), inputs, lists);
          return new PartitionOp.Pipeline(nextKey++, c.id(), grouped, List.of(c.join().pairing()), c.encoder());
        }
        if (node instanceof LogicalNode.Union u) {
          List<PartitionOp> inputs = u.parents().stream().map(this::build).toList();
          return new PartitionOp.UnionOp(nextKey++, u.id(), inputs, u.encoder());
        }
        LogicalNode.Coalesce c = (LogicalNode.Coalesce) node;
        PartitionOp input = build(c.parent());
        int from = input.numPartitions();
        int to = Math.min(c.numPartitions(), from);
        List<Integer> starts = new ArrayList<>(to + 1);
        for (int i = 0; i <= to; i++) {
          starts.add((int) ((long) from * i / Math.max(to, 1)));
        }
        return new PartitionOp.CoalesceOp(nextKey++, c.id(), input, starts, c.encoder());
      }

      private PartitionOp read(Boundary b, int nodeId, Encoder<?> encoder) {
        parents.add(mapStage(b.id()));
        return new PartitionOp.ReadShuffle(nextKey++, nodeId, b.id(), b.spec(), encoder);
      }
    }
  }
}
