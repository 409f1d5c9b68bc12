package io.dflow.planner;

import io.dflow.api.plan.FileSplit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link PhysicalPlan} as stable text: per stage, each sink over the tree of operators
 * that feeds it (an input indented under its reader, a shared operator shown once), then the
 * inputs of its first tasks.
 */
final class PlanPrinter {
  /** Task lines shown per stage before the rest are summarised. */
  static final int MAX_TASK_LINES = 8;

  private PlanPrinter() {}

  static String print(PhysicalPlan plan, Set<ShuffleId> available) {
    StringBuilder out = new StringBuilder();
    out.append("== Physical plan: ").append(plan.action().describe()).append(" (")
        .append(plural(plan.stages().size(), "stage")).append(", ")
        .append(plural(plan.totalTasks(), "task")).append(") ==\n");
    for (Stage stage : plan.stages()) {
      out.append("Stage ").append(stage.index()).append(": ").append(plural(stage.numTasks(), "task"));
      if (stage.gangSize() > 0) {
        out.append(" as one gang of MPI ranks");
      }
      if (!stage.parents().isEmpty()) {
        out.append(", after stage").append(stage.parents().size() > 1 ? "s " : " ")
            .append(String.join(", ", stage.parents().stream().map(String::valueOf).toList()));
      }
      boolean skipped = !stage.isResult() && available.containsAll(stage.shufflesWritten());
      out.append(skipped ? " (skipped: its output exists from an earlier job)\n" : "\n");
      Set<Integer> shown = new HashSet<>();
      Map<Integer, Integer> readers = readers(stage);
      for (Stage.Sink sink : stage.sinks()) {
        out.append("  ").append(sink.output().describe()).append('\n');
        tree(sink.root(), 2, readers, shown, out);
      }
      if (skipped) {
        continue;
      }
      int lines = Math.min(stage.numTasks(), MAX_TASK_LINES);
      for (int i = 0; i < lines; i++) {
        out.append("  task ").append(i).append(": ").append(taskLine(stage, i)).append('\n');
      }
      if (stage.numTasks() > lines) {
        out.append("  ... ").append(stage.numTasks() - lines).append(" more\n");
      }
    }
    return out.toString();
  }

  private static void tree(PartitionOp op, int depth, Map<Integer, Integer> readers, Set<Integer> shown,
      StringBuilder out) {
    out.append("  ".repeat(depth)).append(op.describe());
    boolean shared = readers.getOrDefault(op.key(), 0) > 1;
    if (shared && !shown.add(op.key())) {
      out.append(" (shared, as above)\n");
      return;
    }
    out.append(shared ? " (shared: computed once per task)\n" : "\n");
    for (PartitionOp input : op.inputs()) {
      tree(input, depth + 1, readers, shown, out);
    }
  }

  /** How many sinks and operators read each operator of {@code stage}. */
  private static Map<Integer, Integer> readers(Stage stage) {
    Map<Integer, Integer> readers = new HashMap<>();
    for (PartitionOp root : stage.roots()) {
      readers.merge(root.key(), 1, Integer::sum);
    }
    for (PartitionOp op : stage.operators()) {
      for (PartitionOp input : op.inputs()) {
        readers.merge(input.key(), 1, Integer::sum);
      }
    }
    return readers;
  }

  /** What task {@code partition} reads: its source splits or slices and the shuffle partitions it fetches. */
  private static String taskLine(Stage stage, int partition) {
    return Stage.describeInputs(stage.roots(), partition, Stage.byOpPartition(stage.taskInputs(partition)),
        PlanPrinter::sourceLine);
  }

  private static String sourceLine(TaskInput input) {
    if (input instanceof TaskInput.ReadSplit r) {
      FileSplit split = r.split();
      String hosts = split.hosts().isEmpty() ? "" : " on " + String.join(",", split.hosts());
      return split.segments().size() == 1
          ? split.segments().get(0) + hosts
          : split.segments().size() + " files, " + split.totalBytes() + " bytes" + hosts;
    }
    return input.describe();
  }

  private static String plural(int n, String word) {
    return n + " " + (n == 1 ? word : word + "s");
  }
}
