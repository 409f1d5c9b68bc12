package io.dflow.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Pair;
import io.dflow.api.function.MapFunction;
import io.dflow.api.plan.Action;
import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.Steps;
import io.dflow.executor.protocol.ControlMessage.TaskFinished;
import io.dflow.hdfs.HadoopConf;
import io.dflow.hdfs.TextOutputCommitter;
import io.dflow.planner.StageOutput;
import io.dflow.planner.TaskInput;
import io.dflow.planner.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tasks that read text splits of a real local file, and tasks that save text output. */
class FileTasksTest extends InProcessExecutorTest {

  private static TaskInput.ReadSplit split(Path file, long start, long length) {
    return new TaskInput.ReadSplit(new FileSplit(List.of(new FileSplit.Segment(file.toString(), start, length)),
        List.of("localhost")));
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

    List<TaskFinished> tasks = new ArrayList<>();
    long[][] segments = {{0, cut}, {cut, size - cut}};
    for (int i = 0; i < 2; i++) {
      TaskSpec spec = Tasks.spec(0, i, split(file, segments[i][0], segments[i][1]), List.of(), Tasks.collect());
      TaskFinished finished = Tasks.run(executor, Tasks.launch(0, spec));
      assertEquals(segments[i][1], finished.metrics().inputBytes());
      tasks.add(finished);
    }
    assertEquals(lines, Tasks.collected(tasks, LOADER));
    assertFalse(Tasks.result(tasks.get(1), LOADER, List.class).isEmpty(), "the second split has lines too");
  }

  @Test
  void aMissingInputFileNamesTheSplit() throws Exception {
    Path missing = tmp.resolve("no-such-file.txt");
    TaskSpec spec = Tasks.spec(0, 0, split(missing, 0, 100), List.of(), Tasks.count());
    TaskFinished finished = Tasks.run(executor, Tasks.launch(0, spec));
    assertFalse(finished.succeeded());
    assertTrue(finished.error().startsWith("split " + missing + ":0+100: "), finished.error());
    assertTrue(finished.error().contains("FileNotFoundException"), finished.error());
  }

  @Test
  void saveTextWritesAndCommitsEachTasksPart() throws Exception {
    String out = tmp.resolve("out").toString();
    TextOutputCommitter committer = new TextOutputCommitter(out, Tasks.APP + "_4", HadoopConf.create(Map.of()));
    committer.setupJob(false);
    MapFunction<Long, Object> keyed = x -> Pair.of("k" + x, x * x);
    for (int p = 0; p < 2; p++) {
      TaskSpec spec = Tasks.spec(0, p, Tasks.slice(List.of(p * 10L, p * 10L + 1)), List.of(Steps.map(keyed)),
          new StageOutput.Result(new Action.SaveText(out)));
      TaskFinished finished = Tasks.run(executor, Tasks.launch(4, spec));
      assertTrue(finished.succeeded(), finished.error());
      assertEquals(2, finished.metrics().recordsOut());
    }
    committer.commitJob(2);
    assertEquals(List.of("k0\t0", "k1\t1"), Files.readAllLines(tmp.resolve("out/part-00000")));
    assertEquals(List.of("k10\t100", "k11\t121"), Files.readAllLines(tmp.resolve("out/part-00001")));
  }
}
