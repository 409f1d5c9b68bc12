package io.dflow.driver.scheduler;

import io.dflow.executor.serde.JavaSerde;
import io.dflow.planner.Stage;
import java.util.ArrayList;
import java.util.List;

/**
 * A planned stage's bytes as executors receive them: its sinks (operators and user functions),
 * each partition's source input (null for a partition that reads none), and, when those inputs
 * are small in all ({@value #SHARED_INPUTS_MAX_BYTES} bytes at most), all of them in one piece,
 * to be sent once per executor with the stage. Made on the job's thread, so a function or record
 * that cannot be serialised fails the job there, with its class named, before anything is
 * scheduled.
 *
 * @param shared every partition's inputs in one piece, or null when they are too large
 */
public record SerializedStage(byte[] sinks, List<byte[]> inputs, byte[] shared) {
  static final int SHARED_INPUTS_MAX_BYTES = 1 << 20;

  /** @throws IllegalArgumentException naming what is not serialisable */
  public static SerializedStage of(Stage stage) {
    byte[] sinks = JavaSerde.serialize(new ArrayList<>(stage.sinks()));
    List<byte[]> inputs = new ArrayList<>(stage.numTasks());
    List<List<Stage.SourcePartition>> all = new ArrayList<>(stage.numTasks());
    long total = 0;
    for (int p = 0; p < stage.numTasks(); p++) {
      List<Stage.SourcePartition> in = stage.taskInputs(p);
      byte[] bytes = in.isEmpty() ? null : JavaSerde.serialize(new ArrayList<>(in));
      inputs.add(bytes);
      all.add(new ArrayList<>(in));
      total += bytes == null ? 0 : bytes.length;
    }
    byte[] shared = total <= SHARED_INPUTS_MAX_BYTES && total > 0 ? JavaSerde.serialize(all) : null;
    return new SerializedStage(sinks, inputs, shared);
  }
}
