package io.dflow.executor.task;

import io.dflow.api.Optional;
import io.dflow.api.UserCodeException;
import io.dflow.api.plan.Action;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.formats.FormatWriters;
import io.dflow.hdfs.Codecs;
import io.dflow.hdfs.PartFormat;
import io.dflow.hdfs.TaskOutputWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Runs a result task's action over its partition; returns the serialised per-partition value
 * (Java serialisation, but a count's 8 bytes for a count: the result of most tiny tasks).
 */
public final class TaskOutputs {
  private TaskOutputs() {}

  static byte[] result(TaskContext ctx, Action action, Iterator<Object> records) throws IOException {
    if (action instanceof Action.Save save) {
      save(ctx, save, records);
      return null;
    }
    if (action instanceof Action.Count) {
      long n = 0;
      for (; records.hasNext(); records.next()) {
        n++;
      }
      ctx.recordsOut = n;
      return countBytes(n);
    }
    if (action instanceof Action.Collect collect) {
      return collected(ctx, records, Long.MAX_VALUE, collect.maxBytes());
    }
    if (action instanceof Action.Take take) {
      return collected(ctx, records, take.n(), take.maxBytes());
    }
    if (action instanceof Action.Reduce reduce) {
      Object acc = null;
      boolean any = false;
      while (records.hasNext()) {
        Object next = records.next();
        acc = any ? reduce.merge(acc, next) : next;
        any = true;
        ctx.recordsOut++;
      }
      return JavaSerde.serialize(any ? Optional.of(acc) : Optional.empty());
    }
    if (action instanceof Action.Fold fold) {
      // a copy per task: the action's own zero is shared by the tasks a slot runs
      Object acc = JavaSerde.deserialize(JavaSerde.serialize(fold.zero()), ctx.loader, Object.class);
      while (records.hasNext()) {
        acc = fold.merge(acc, records.next());
        ctx.recordsOut++;
      }
      return JavaSerde.serialize(acc);
    }
    Action.Foreach foreach = (Action.Foreach) action;
    while (records.hasNext()) {
      try {
        foreach.fn().call(records.next());
      } catch (Exception e) {
        throw UserCodeException.of(e);
      }
      ctx.recordsOut++;
    }
    return null;
  }

  /** A count's result: its 8 bytes, big-endian (read by {@link #countOf}). */
  static byte[] countBytes(long n) {
    return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
  }

  /** The count a task's result holds. */
  public static long countOf(byte[] result) {
    return ByteBuffer.wrap(result).getLong();
  }

  private static byte[] collected(TaskContext ctx, Iterator<Object> records, long limit, long maxBytes)
      throws IOException {
    List<Object> all = new ArrayList<>();
    while (all.size() < limit && records.hasNext()) {
      all.add(records.next());
    }
    ctx.recordsOut = all.size();
    byte[] bytes = JavaSerde.serialize(all);
    if (bytes.length > maxBytes) {
      throw new IOException("this task's part of the result is " + bytes.length
          + " bytes, over the limit of " + maxBytes + " (dflow.collect.maxBytes)");
    }
    return bytes;
  }

  private static void save(TaskContext ctx, Action.Save save, Iterator<Object> records) throws IOException {
    var attempt = ctx.launch.attempt();
    PartFormat format = FormatWriters.of(save.format(), save.encoder(),
        Codecs.forOutput(ctx.stage.conf(), ctx.hadoop()), ctx.allocator());
    try (TaskOutputWriter writer = TaskOutputWriter.open(save.path(), ctx.stage.commitJob(),
        attempt.partition(), attempt.taskId(), ctx.hadoop(), format)) {
      while (records.hasNext()) {
        writer.write(records.next());
      }
      ctx.recordsOut = writer.records();
      writer.commit(() -> ctx.commitGate.mayCommit(ctx.stage.commitJob(), attempt.partition(), attempt.taskId()));
    }
  }
}
