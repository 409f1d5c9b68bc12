package io.dflow.streaming;

import io.dflow.api.Broadcast;
import io.dflow.api.pipe.ChildCommand;
import io.dflow.api.pipe.PipeStep;
import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.TaskInfo;
import io.dflow.api.plan.TaskScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets a streaming command up for the task that runs it, as Hadoop Streaming does: the shipped
 * files linked into the task's working directory (a command naming one runs that link), and the
 * task's variables in the child's environment: {@code mapreduce_task_partition},
 * {@code mapreduce_task_attempt_id}, and for a mapper its split's
 * {@code mapreduce_map_input_file}, {@code _start} and {@code _length} (also under their old
 * {@code map_input_*} names). A split that packs several small files names its first.
 *
 * @param map whether the command is a mapper or a combiner (which runs in map tasks): the input split's variables are set
 * @param files the shipped files, or null when there are none
 */
record ChildLaunch(boolean map, Broadcast<List<ShippedFile>> files) implements PipeStep.Launch {
  @Override
  public ChildCommand prepare(ChildCommand command, TaskScope.Services task, Path workDir) throws IOException {
    if (task == null) {
      return command;
    }
    Map<String, String> env = new LinkedHashMap<>(command.env());
    TaskInfo info = task.task();
    env.put("mapreduce_task_partition", String.valueOf(info.partition()));
    env.put("mapreduce_task_attempt_id", info.attemptId());
    env.put("mapred_task_id", info.attemptId());
    if (map && info.split() != null && !info.split().segments().isEmpty()) {
      FileSplit.Segment first = info.split().segments().get(0);
      for (String prefix : List.of("mapreduce_map_input_", "map_input_")) {
        env.put(prefix + "file", first.path());
        env.put(prefix + "start", String.valueOf(first.start()));
        env.put(prefix + "length", String.valueOf(first.length()));
      }
    }
    List<String> words = new ArrayList<>(command.words());
    if (files != null) {
      for (ShippedFile file : files.value()) {
        file.linkInto(workDir, task.sharedDir());
        if (file.isNamedBy(words.get(0))) {
          words.set(0, workDir.resolve(file.link()).toString());
        }
      }
    }
    return new ChildCommand(command.role(), command.display(), words, env);
  }
}
