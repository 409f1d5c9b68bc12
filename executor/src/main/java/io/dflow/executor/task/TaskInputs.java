package io.dflow.executor.task;

import io.dflow.executor.shuffle.ShuffleReader;
import io.dflow.hdfs.TextSplitReader;
import io.dflow.planner.TaskInput;
import java.io.IOException;
import java.util.Iterator;

/** Opens a task's input as an iterator of records. */
final class TaskInputs {
  private TaskInputs() {}

  @SuppressWarnings("unchecked")
  static Iterator<Object> open(TaskContext ctx) throws IOException {
    TaskInput input = ctx.spec.input();
    if (input instanceof TaskInput.ReadSplit read) {
      int maxLine = Integer.parseInt(ctx.conf(TextSplitReader.MAX_LINE_BYTES_KEY,
          String.valueOf(TextSplitReader.DEFAULT_MAX_LINE_BYTES)));
      ctx.inputBytes += read.split().totalBytes();
      Iterator<?> lines = ctx.closeLater(new TextSplitReader(read.split(), ctx.hadoop(), maxLine));
      return (Iterator<Object>) lines;
    }
    if (input instanceof TaskInput.ReadSlice slice) {
      return slice.records().iterator();
    }
    TaskInput.ReadShuffle read = (TaskInput.ReadShuffle) input;
    ShuffleReader.Merged merged = ShuffleReader.read(ctx.launch.attempt().job(), read,
        ctx.launch.mapOutputs(), ctx.fetcher, ctx.segmentDecoder(read.spec().recordEncoder()));
    ctx.shuffleBytesRead += merged.bytesFetched();
    return merged.records();
  }
}
