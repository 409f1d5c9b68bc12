package io.dflow.planner;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.ShuffleSpec;
import java.util.List;

/** Where a stage's tasks read from: one task per split, per slice, or per reduce partition. */
public sealed interface StageInput {
  int numTasks();

  /** The input of task {@code index}. */
  TaskInput taskInput(int index);

  String describe();

  /** Text files cut into splits. */
  record Splits(String path, List<FileSplit> splits) implements StageInput {
    public Splits {
      splits = List.copyOf(splits);
    }

    @Override
    public int numTasks() {
      return splits.size();
    }

    @Override
    public TaskInput taskInput(int index) {
      return new TaskInput.ReadSplit(splits.get(index));
    }

    @Override
    public String describe() {
      return "textFile " + path + " (" + splits.size() + (splits.size() == 1 ? " split)" : " splits)");
    }
  }

  /** An in-memory collection cut into slices. */
  record Slices(List<List<Object>> slices) implements StageInput {
    @Override
    public int numTasks() {
      return slices.size();
    }

    @Override
    public TaskInput taskInput(int index) {
      return new TaskInput.ReadSlice(slices.get(index));
    }

    @Override
    public String describe() {
      int records = slices.stream().mapToInt(List::size).sum();
      return "parallelize (" + records + " records in " + slices.size()
          + (slices.size() == 1 ? " slice)" : " slices)");
    }
  }

  /** The reduce side of a shuffle written by stage {@code mapStage}. */
  record Shuffle(int shuffleId, int mapStage, ShuffleSpec spec) implements StageInput {
    @Override
    public int numTasks() {
      return spec.numPartitions();
    }

    @Override
    public TaskInput taskInput(int index) {
      return new TaskInput.ReadShuffle(shuffleId, index, spec);
    }

    @Override
    public String describe() {
      return "shuffle " + shuffleId + " " + spec.describe() + " from stage " + mapStage;
    }
  }
}
