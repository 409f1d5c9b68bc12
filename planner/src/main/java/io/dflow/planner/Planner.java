package io.dflow.planner;

import io.dflow.api.plan.Action;
import io.dflow.api.plan.LogicalNode;
import io.dflow.api.plan.Step;
import io.dflow.planner.split.SplitPlanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Turns a logical plan into stages: narrow steps are fused into the pipeline of the stage that
 * reads their input, and every shuffle cuts the plan into a map stage (which ends by writing the
 * shuffle) and the stage that reads it. Pure: it lists files through an {@link InputCatalog} and
 * does no other I/O.
 */
public final class Planner {
  private final PlannerConf conf;
  private final InputCatalog catalog;

  public Planner(PlannerConf conf, InputCatalog catalog) {
    this.conf = conf;
    this.catalog = catalog;
  }

  public PhysicalPlan plan(LogicalNode root, Action action) {
    List<Stage> stages = new ArrayList<>();
    cut(root, new StageOutput.Result(action), stages);
    return new PhysicalPlan(action, stages);
  }

  /**
   * Builds the stage that ends at {@code node}, after the stages it depends on; returns its id.
   * A map stage is built with a null output, set once its shuffle is numbered, so that stage
   * and shuffle ids both follow execution order.
   */
  private int cut(LogicalNode node, StageOutput output, List<Stage> stages) {
    Deque<Step> steps = new ArrayDeque<>();
    LogicalNode at = node;
    while (at instanceof LogicalNode.Narrow narrow) {
      steps.addFirst(narrow.step());
      at = narrow.parent();
    }
    List<Integer> parents = new ArrayList<>();
    StageInput input;
    if (at instanceof LogicalNode.TextSource text) {
      input = new StageInput.Splits(text.path(), splits(text.path()));
    } else if (at instanceof LogicalNode.CollectionSource coll) {
      input = new StageInput.Slices(Slicer.slice(coll.data(), slices(coll)));
    } else {
      LogicalNode.Shuffle shuffle = (LogicalNode.Shuffle) at;
      int mapStage = cut(shuffle.parent(), null, stages);
      int shuffleId = countShuffles(stages);
      stages.set(mapStage, stages.get(mapStage)
          .withOutput(new StageOutput.ShuffleWrite(shuffleId, shuffle.spec())));
      parents.add(mapStage);
      input = new StageInput.Shuffle(shuffleId, mapStage, shuffle.spec());
    }
    int id = stages.size();
    stages.add(new Stage(id, input, List.copyOf(steps), output, parents));
    return id;
  }

  private static int countShuffles(List<Stage> stages) {
    return (int) stages.stream().filter(s -> s.output() instanceof StageOutput.ShuffleWrite).count();
  }

  private int slices(LogicalNode.CollectionSource coll) {
    if (coll.slices() > 0) {
      return coll.slices();
    }
    return Math.max(1, Math.min(coll.data().size(), conf.defaultParallelism() * conf.slicesPerSlot()));
  }

  private List<io.dflow.api.plan.FileSplit> splits(String path) {
    try {
      return SplitPlanner.plan(catalog.list(path), conf.maxSplitBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
