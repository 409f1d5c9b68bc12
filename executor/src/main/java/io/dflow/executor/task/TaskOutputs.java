package io.dflow.executor.task;

import io.dflow.api.plan.Action;
import io.dflow.arrow.ShuffleWriteResult;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.executor.shuffle.MapOutputWriter;
import io.dflow.hdfs.TaskOutputWriter;
import io.dflow.planner.StageOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Hands a task's records to its output; returns the serialised result of a count or collect. */
final class TaskOutputs {
  private TaskOutputs() {}

  static byte[] write(TaskContext ctx, Iterator<Object> records) throws IOException {
    StageOutput output = ctx.spec.output();
    if (output instanceof StageOutput.ShuffleWrite write) {
      var attempt = ctx.launch.attempt();
      ShuffleWriteResult written = MapOutputWriter.write(ctx.shuffleStore, attempt.job(),
          attempt.index(), write, records, ctx.allocator());
      ctx.shuffleBytesWritten = written.totalBytes();
      ctx.recordsOut = written.totalRecords();
      return null;
    }
    Action action = ((StageOutput.Result) output).action();
    if (action instanceof Action.SaveText save) {
      saveText(ctx, save.path(), records);
      return null;
    }
    if (action instanceof Action.Count) {
      long n = 0;
      for (; records.hasNext(); records.next()) {
        n++;
      }
      ctx.recordsOut = n;
      return JavaSerde.serialize(n);
    }
    List<Object> all = new ArrayList<>();
    records.forEachRemaining(all::add);
    ctx.recordsOut = all.size();
    byte[] bytes = JavaSerde.serialize(all);
    long max = ((Action.Collect) action).maxBytes();
    if (bytes.length > max) {
      throw new IOException("this task's part of collect() is " + bytes.length
          + " bytes, over the limit of " + max + " (dflow.collect.maxBytes)");
    }
    return bytes;
  }

  private static void saveText(TaskContext ctx, String path, Iterator<Object> records) throws IOException {
    var attempt = ctx.launch.attempt();
    try (TaskOutputWriter writer = TaskOutputWriter.open(path, attempt.jobKey(),
        attempt.index(), attempt.attempt(), ctx.hadoop())) {
      while (records.hasNext()) {
        writer.write(records.next());
      }
      ctx.recordsOut = writer.records();
      writer.commit();
    }
  }
}
