package io.dflow.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.FileSplit;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.TaskEndReason.ExceptionFailure;
import io.dflow.hdfs.HadoopConf;
import io.dflow.hdfs.TextOutputCommitter;
import io.dflow.planner.PhysicalPlan;
import io.dflow.planner.Stage;
import io.dflow.planner.TaskInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tasks that read text splits of a real local file, and tasks that save text output. */
class FileTasksTest extends InProcessExecutorTest {

  /** The splits the planner cut for the stage's only source, in partition order. */
  private static List<FileSplit> splits(Stage stage) {
    List<FileSplit> out = new ArrayList<>();
    for (int p = 0; p < stage.numTasks(); p++) {
      out.add(((TaskInput.ReadSplit) stage.taskInputs(p).get(0).input()).split());
    }
    return out;
  }

  @Test
  void twoSplitsOfAFileReadEachLineOnce() throws Exception {
    List<String> lines = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      String line = "line " + i + " " + "x".repeat(i % 37) + " ünïcødé";
      lines.add(line);
      text.append(line).append(i % 5 == 0 ? "\r\n" : "\n");
    }
    Path file = Files.write(tmp.resolve("input.txt"), text.toString().getBytes(StandardCharsets.UTF_8));
    long size = Files.size(file);
    long cut = size / 2 + 3; // most likely inside a line
    Tasks.Planning files = new Tasks.Planning(Tasks.Planning.localFiles(), cut);
    Stage stage = files.plan(files.context.textFile(file.toString()), new Action.Collect(64 << 20)).resultStage();
    assertEquals(List.of(new FileSplit.Segment(file.toString(), 0, cut),
            new FileSplit.Segment(file.toString(), cut, size - cut)),
        splits(stage).stream().map(s -> s.segments().get(0)).toList());

    List<TaskEnded> tasks = Tasks.runAll(executor, reports, Tasks.register(stage));

    assertEquals(cut, tasks.get(0).metrics().inputBytes());
    assertEquals(size - cut, tasks.get(1).metrics().inputBytes());
    assertEquals(lines, Tasks.collected(tasks, LOADER));
    assertFalse(Tasks.result(tasks.get(1), LOADER, List.class).isEmpty(), "the second split has lines too");
  }

  @Test
  void aMissingInputFileNamesTheSplit() throws Exception {
    Path vanishing = Files.writeString(tmp.resolve("gone-by-run-time.txt"), "a\nb\n".repeat(25));
    Tasks.Planning files = new Tasks.Planning(Tasks.Planning.localFiles(), 1 << 20);
    Stage stage = files.plan(files.context.textFile(vanishing.toString()), new Action.Count()).resultStage();
    Files.delete(vanishing); // between planning and running, as when another job deletes it

    ExceptionFailure failure = Tasks.failure(Tasks.run(executor, reports, Tasks.register(stage), 0),
        ExceptionFailure.class);
    assertEquals("split " + vanishing + ":0+100", failure.where());
    assertTrue(failure.describe().startsWith("split " + vanishing + ":0+100: "), failure.describe());
    assertTrue(failure.stackTrace().contains("FileNotFoundException"), failure.stackTrace());
  }

  @Test
  void saveTextWritesAndCommitsEachTasksPart() throws Exception {
    String out = tmp.resolve("out").toString();
    String jobKey = "job-4";
    TextOutputCommitter committer = new TextOutputCommitter(out, jobKey, HadoopConf.create(Map.of()));
    committer.setupJob(false);
    Stage stage = planning.plan(planning.context.parallelize(List.of(0L, 1L, 10L, 11L), Encoders.longs(), 2)
            .mapToPair(x -> Pair.of("k" + x, x * x), Encoders.strings(), Encoders.longs()),
        new Action.Save(out, new io.dflow.api.plan.FileFormat.Text(false), io.dflow.api.Encoders.strings())).resultStage();
    assertEquals(2, stage.numTasks());

    List<TaskEnded> tasks = Tasks.runAll(executor, reports,
        Tasks.register(stage, null, Map.of(), Map.of(), jobKey));

    for (TaskEnded task : tasks) {
      assertEquals(null, Tasks.success(task).result(), "saving has no per-task value");
      assertEquals(2, task.metrics().recordsOut());
    }
    committer.commitJob(2);
    assertEquals(List.of("k0\t0", "k1\t1"), Files.readAllLines(tmp.resolve("out/part-00000")));
    assertEquals(List.of("k10\t100", "k11\t121"), Files.readAllLines(tmp.resolve("out/part-00001")));
  }

  @Test
  void anAttemptTheDriverDeniesTheCommitEndsKilledAndLeavesNoOutput() throws Exception {
    String out = tmp.resolve("denied").toString();
    String jobKey = "job-5";
    new TextOutputCommitter(out, jobKey, HadoopConf.create(Map.of())).setupJob(false);
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    executor.commitGate((job, partition, taskId) -> {
      asked.add(job + "/" + partition);
      return partition != 1;
    });
    Stage stage = planning.plan(planning.context.parallelize(List.of(1L, 2L), Encoders.longs(), 2),
        new Action.Save(out, new io.dflow.api.plan.FileFormat.Text(false), Encoders.longs())).resultStage();
    List<TaskEnded> tasks = Tasks.runAll(executor, reports, Tasks.register(stage, null, Map.of(), Map.of(), jobKey));
    assertEquals(List.of("job-5/0", "job-5/1"), asked.stream().sorted().toList(), "every attempt asks, naming its job");
    TaskEnded denied = tasks.stream().filter(t -> t.attempt().partition() == 1).findFirst().orElseThrow();
    assertTrue(denied.reason() instanceof io.dflow.executor.protocol.TaskEndReason.Killed k
        && k.reason().contains("commit denied"), denied.reason().describe());
    try (var left = Files.list(tmp.resolve("denied/_temporary/job-5"))) {
      assertEquals(List.of("task_0"), left.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).toList(),
          "only the granted partition's output is there");
    }
  }

  @Test
  void aSaveWithoutItsJobSetUpFailsNamingTheJob() throws Exception {
    String out = tmp.resolve("never-set-up").toString();
    PhysicalPlan plan = planning.plan(planning.context.parallelize(List.of("x"), Encoders.strings(), 1),
        new Action.Save(out, new io.dflow.api.plan.FileFormat.Text(false), io.dflow.api.Encoders.strings()));
    ExceptionFailure failure = Tasks.failure(Tasks.run(executor, reports,
        Tasks.register(plan.resultStage(), null, Map.of(), Map.of(), "job-9"), 0), ExceptionFailure.class);
    assertTrue(failure.message().startsWith("Job job-9 has no temporary output folder"), failure.message());
    assertFalse(Files.exists(Path.of(out, "part-00000")));
  }
}
