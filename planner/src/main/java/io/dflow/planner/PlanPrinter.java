package io.dflow.planner;

/** Renders a {@link PhysicalPlan} as stable text: stages, their tasks and partitions. */
final class PlanPrinter {
  /** Task lines shown per stage before the rest are summarised. */
  static final int MAX_TASK_LINES = 8;

  private PlanPrinter() {}

  static String print(PhysicalPlan plan) {
    StringBuilder out = new StringBuilder();
    out.append("== Physical plan: ").append(plan.action().describe()).append(" (")
        .append(plan.stages().size()).append(plural(plan.stages().size(), " stage")).append(", ")
        .append(plan.totalTasks()).append(plural(plan.totalTasks(), " task")).append(") ==\n");
    for (Stage stage : plan.stages()) {
      out.append("Stage ").append(stage.id()).append(": ").append(stage.numTasks())
          .append(plural(stage.numTasks(), " task"));
      if (!stage.parents().isEmpty()) {
        out.append(", after stage").append(stage.parents().size() > 1 ? "s " : " ")
            .append(String.join(", ", stage.parents().stream().map(String::valueOf).toList()));
      }
      out.append('\n');
      out.append("  input:    ").append(stage.input().describe()).append('\n');
      out.append("  pipeline: ").append(stage.pipelineText()).append('\n');
      out.append("  output:   ").append(stage.output().describe()).append('\n');
      int shown = Math.min(stage.numTasks(), MAX_TASK_LINES);
      for (int i = 0; i < shown; i++) {
        out.append("    task ").append(i).append(": ").append(taskLine(stage.input().taskInput(i)))
            .append('\n');
      }
      if (stage.numTasks() > shown) {
        out.append("    ... ").append(stage.numTasks() - shown).append(" more\n");
      }
    }
    return out.toString();
  }

  private static String taskLine(TaskInput input) {
    if (input instanceof TaskInput.ReadSplit r) {
      String hosts = r.split().hosts().isEmpty() ? "" : " on " + String.join(",", r.split().hosts());
      return r.split().segments().size() == 1
          ? r.split().segments().get(0) + hosts
          : r.split().segments().size() + " files, " + r.split().totalBytes() + " bytes" + hosts;
    }
    return input.describe();
  }

  private static String plural(int n, String word) {
    return n == 1 ? word : word + "s";
  }
}
