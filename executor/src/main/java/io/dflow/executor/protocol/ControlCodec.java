package io.dflow.executor.protocol;

import io.dflow.executor.protocol.ControlMessage.LaunchTasks;
import io.dflow.executor.protocol.ControlMessage.StatusUpdate;
import io.dflow.executor.protocol.ControlMessage.TaskStatus;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.planner.ShuffleId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of control messages. Task launches and status updates, which carry nearly every byte
 * a job of tiny tasks sends, have a compact binary form of their own; every other message (and a
 * task end other than a success) is Java-serialised through the allow-list. The first byte says
 * which. A frame comes from the network: every count and length is checked against the bytes
 * left before anything is allocated, and trailing bytes are refused.
 */
final class ControlCodec {
  private static final byte JAVA = 'J';
  private static final byte LAUNCH = 'L';
  private static final byte STATUS = 'S';
  private static final byte SUCCESS = 1;
  private static final byte OTHER_END = 2;

  private ControlCodec() {}

  static byte[] encode(ControlMessage message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (message instanceof LaunchTasks launch) {
        out.writeByte(LAUNCH);
        writeLaunches(launch, out);
      } else if (message instanceof StatusUpdate status) {
        out.writeByte(STATUS);
        writeStatus(status, out);
      } else {
        out.writeByte(JAVA);
        out.write(JavaSerde.serialize(message));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to memory", e);
    }
    return bytes.toByteArray();
  }

  static ControlMessage decode(byte[] frame) throws IOException {
    if (frame.length == 0) {
      throw new IOException("an empty control message");
    }
    if (frame[0] == JAVA) {
      byte[] body = java.util.Arrays.copyOfRange(frame, 1, frame.length);
      return JavaSerde.deserialize(body, ControlMessage.class.getClassLoader(), ControlMessage.class);
    }
    Reader in = new Reader(frame);
    try {
      ControlMessage message = switch (frame[0]) {
        case LAUNCH -> readLaunches(in);
        case STATUS -> readStatus(in);
        default -> throw new IOException("unknown control message kind " + (frame[0] & 0xff));
      };
      in.expectEnd();
      return message;
    } catch (EOFException e) {
      throw new IOException("a control message that ends too soon", e);
    } catch (IllegalArgumentException e) {
      throw new IOException("a control message with a bad field: " + e.getMessage(), e);
    }
  }

  // ---- launches

  private static void writeLaunches(LaunchTasks launch, DataOutputStream out) throws IOException {
    out.writeInt(launch.tasks().size());
    for (TaskLaunch t : launch.tasks()) {
      writeAttempt(t.attempt(), out);
      writeBytes(t.inputs(), out);
      out.writeInt(t.cached().size());
      for (CachedBlockLocation c : t.cached()) {
        out.writeInt(c.node());
        out.writeInt(c.partition());
        out.writeUTF(c.executor().value());
        out.writeUTF(c.address());
        out.writeInt(c.port());
      }
    }
  }

  private static LaunchTasks readLaunches(Reader in) throws IOException {
    int n = in.count(24);
    List<TaskLaunch> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      TaskAttempt attempt = readAttempt(in);
      byte[] inputs = in.bytes();
      int cachedCount = in.count(16);
      List<CachedBlockLocation> cached = new ArrayList<>(cachedCount);
      for (int c = 0; c < cachedCount; c++) {
        cached.add(new CachedBlockLocation(in.nonNegative(), in.nonNegative(), new ExecutorId(in.utf()), in.utf(),
            in.nonNegative()));
      }
      tasks.add(new TaskLaunch(attempt, inputs, cached));
    }
    return new LaunchTasks(tasks);
  }

  // ---- status updates

  private static void writeStatus(StatusUpdate status, DataOutputStream out) throws IOException {
    out.writeInt(status.running().size());
    for (TaskStatus s : status.running()) {
      writeAttempt(s.attempt(), out);
      out.writeUTF(s.message());
    }
    out.writeInt(status.ended().size());
    for (TaskEnded e : status.ended()) {
      writeAttempt(e.attempt(), out);
      out.writeUTF(e.executor().value());
      TaskMetrics m = e.metrics();
      out.writeLong(m.recordsOut());
      out.writeLong(m.inputBytes());
      out.writeLong(m.shuffleBytesRead());
      out.writeLong(m.shuffleBytesWritten());
      out.writeLong(m.runMillis());
      out.writeLong(m.spills());
      out.writeLong(m.spillBytes());
      out.writeLong(m.peakMemory());
      out.writeLong(m.shuffleRawBytesRead());
      out.writeLong(m.shuffleRawBytesWritten());
      out.writeLong(m.gcMillis());
      if (e.reason() instanceof TaskEndReason.Success ok) {
        out.writeByte(SUCCESS);
        writeSuccess(ok, out);
      } else {
        out.writeByte(OTHER_END);
        writeBytes(JavaSerde.serialize(e.reason()), out);
      }
    }
  }

  private static void writeSuccess(TaskEndReason.Success ok, DataOutputStream out) throws IOException {
    writeBytes(ok.result(), out);
    out.writeInt(ok.shuffles().size());
    for (MapStatus s : ok.shuffles()) {
      out.writeInt(s.shuffle().node());
      out.writeInt(s.shuffle().input());
      out.writeInt(s.partitionBytes().length);
      for (long b : s.partitionBytes()) {
        out.writeLong(b);
      }
    }
    out.writeInt(ok.blocks().size());
    for (BlockUpdate b : ok.blocks()) {
      out.writeInt(b.node());
      out.writeInt(b.partition());
      out.writeBoolean(b.stored());
    }
    out.writeInt(ok.counters().size());
    for (Map.Entry<String, Long> c : ok.counters().entrySet()) {
      out.writeUTF(c.getKey());
      out.writeLong(c.getValue());
    }
  }

  private static StatusUpdate readStatus(Reader in) throws IOException {
    int statuses = in.count(24 + 2);
    List<TaskStatus> running = new ArrayList<>(statuses);
    for (int i = 0; i < statuses; i++) {
      running.add(new TaskStatus(readAttempt(in), in.utf()));
    }
    int n = in.count(24 + 2 + 88 + 1);
    List<TaskEnded> ended = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      TaskAttempt attempt = readAttempt(in);
      ExecutorId executor = new ExecutorId(in.utf());
      TaskMetrics metrics = new TaskMetrics(in.data.readLong(), in.data.readLong(), in.data.readLong(),
          in.data.readLong(), in.data.readLong(), in.data.readLong(), in.data.readLong(), in.data.readLong(),
          in.data.readLong(), in.data.readLong(), in.data.readLong());
      byte kind = in.data.readByte();
      TaskEndReason reason;
      if (kind == SUCCESS) {
        reason = readSuccess(in);
      } else if (kind == OTHER_END) {
        reason = JavaSerde.deserialize(in.bytes(), ControlCodec.class.getClassLoader(), TaskEndReason.class);
      } else {
        throw new IOException("unknown task end kind " + kind);
      }
      ended.add(new TaskEnded(attempt, executor, reason, metrics));
    }
    return new StatusUpdate(ended, running);
  }

  private static TaskEndReason.Success readSuccess(Reader in) throws IOException {
    byte[] result = in.bytes();
    int shuffleCount = in.count(12);
    List<MapStatus> shuffles = new ArrayList<>(shuffleCount);
    for (int s = 0; s < shuffleCount; s++) {
      ShuffleId id = new ShuffleId(in.nonNegative(), in.nonNegative());
      long[] sizes = new long[in.count(8)];
      for (int p = 0; p < sizes.length; p++) {
        sizes[p] = in.data.readLong();
      }
      shuffles.add(new MapStatus(id, sizes));
    }
    int blockCount = in.count(9);
    List<BlockUpdate> blocks = new ArrayList<>(blockCount);
    for (int b = 0; b < blockCount; b++) {
      blocks.add(new BlockUpdate(in.nonNegative(), in.nonNegative(), in.data.readBoolean()));
    }
    int counterCount = in.count(10);
    Map<String, Long> counters = new HashMap<>(counterCount * 2);
    for (int c = 0; c < counterCount; c++) {
      counters.put(in.utf(), in.data.readLong());
    }
    return new TaskEndReason.Success(result, shuffles, blocks, counters);
  }

  // ---- shared parts

  private static void writeAttempt(TaskAttempt a, DataOutputStream out) throws IOException {
    out.writeLong(a.taskId());
    out.writeInt(a.stage().stage().value());
    out.writeInt(a.stage().attempt());
    out.writeInt(a.partition());
    out.writeInt(a.attempt());
  }

  private static TaskAttempt readAttempt(Reader in) throws IOException {
    long taskId = in.data.readLong();
    if (taskId < 0) {
      throw new IOException("a negative task id: " + taskId);
    }
    StageAttemptId stage = new StageAttemptId(new StageId(in.nonNegative()), in.nonNegative());
    return new TaskAttempt(taskId, stage, in.nonNegative(), in.nonNegative());
  }

  /** A byte array, or null, as {@code length (-1 for null) | bytes}. */
  private static void writeBytes(byte[] bytes, DataOutputStream out) throws IOException {
    if (bytes == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  /** Reads a frame, checking every length against what is left. */
  private static final class Reader {
    final DataInputStream data;
    private final ByteArrayInputStream bytes;

    Reader(byte[] frame) {
      bytes = new ByteArrayInputStream(frame, 1, frame.length - 1);
      data = new DataInputStream(bytes);
    }

    int nonNegative() throws IOException {
      int n = data.readInt();
      if (n < 0) {
        throw new IOException("a negative number where none may be: " + n);
      }
      return n;
    }

    /** A count of items that take at least {@code minBytes} each: no more than the bytes left allow. */
    int count(int minBytes) throws IOException {
      int n = nonNegative();
      if ((long) n * minBytes > bytes.available()) {
        throw new IOException("a count of " + n + " items does not fit in the " + bytes.available() + " bytes left");
      }
      return n;
    }

    byte[] bytes() throws IOException {
      int n = data.readInt();
      if (n == -1) {
        return null;
      }
      if (n < 0 || n > bytes.available()) {
        throw new IOException("a byte string of " + n + " bytes where " + bytes.available() + " are left");
      }
      byte[] out = new byte[n];
      data.readFully(out);
      return out;
    }

    String utf() throws IOException {
      try {
        return data.readUTF();
      } catch (EOFException e) {
        throw new IOException("a string runs past the end of the message", e);
      }
    }

    void expectEnd() throws IOException {
      if (bytes.available() != 0) {
        throw new IOException(bytes.available() + " bytes after the end of the message");
      }
    }
  }
}
