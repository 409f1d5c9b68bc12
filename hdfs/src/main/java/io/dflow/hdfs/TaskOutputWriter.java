package io.dflow.hdfs;

import io.dflow.api.pipe.LineEncoder;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;

/**
 * The executor side of all-or-nothing text output: one task attempt writes its partition's
 * records as UTF-8 lines under the job's temporary folder, then commits or aborts. A
 * {@link Pair} is written as {@code key<TAB>value}, anything else as {@code String.valueOf}.
 *
 * <pre>
 * open ──► write* ──► commit ──► COMMITTED (or discarded: another attempt committed first)
 *             └─────► abort / close ──► ABORTED (attempt folder deleted)
 * </pre>
 *
 * <p>Needs only what an executor process has: the output path, the job id, the partition and
 * attempt numbers and a Hadoop Configuration. Not thread safe.
 */
public final class TaskOutputWriter implements Closeable {
  private static final int BUFFER_BYTES = 64 << 10;

  private enum State { OPEN, COMMITTED, ABORTED }

  private final FileSystem fs;
  private final OutputLayout layout;
  private final int partition;
  private final Path attemptDir;
  private final OutputStream writer;
  private long records;
  private State state = State.OPEN;

  private TaskOutputWriter(FileSystem fs, OutputLayout layout, int partition, long attempt, CompressionCodec codec)
      throws IOException {
    this.fs = fs;
    this.layout = layout;
    this.partition = partition;
    this.attemptDir = layout.attemptDir(partition, attempt);
    String name = OutputLayout.partName(partition) + (codec == null ? "" : codec.getDefaultExtension());
    OutputStream file = fs.create(new Path(attemptDir, name), false);
    if (codec != null) {
      try {
        file = codec.createOutputStream(file);
      } catch (IOException | RuntimeException e) {
        file.close();
        throw new IOException("cannot compress " + name + " with " + Codecs.name(codec) + ": " + e.getMessage(), e);
      }
    }
    this.writer = new BufferedOutputStream(file, BUFFER_BYTES);
  }

  /**
   * Starts task attempt {@code attempt} of {@code partition}, creating its (empty) part file.
   *
   * @throws IOException if the job's temporary folder is missing (job not set up, or aborted)
   */
  public static TaskOutputWriter open(String outputPath, String jobId, int partition, long attempt,
      Configuration conf) throws IOException {
    return open(outputPath, jobId, partition, attempt, conf, null);
  }

  /** Like {@link #open(String, String, int, long, Configuration)}, compressing with {@code codec} (null: none). */
  public static TaskOutputWriter open(String outputPath, String jobId, int partition, long attempt,
      Configuration conf, CompressionCodec codec) throws IOException {
    Path path = new Path(outputPath);
    FileSystem fs = FileSystems.forPath(path, conf);
    OutputLayout layout = new OutputLayout(fs.makeQualified(path), jobId);
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must not be negative: " + attempt);
    }
    OutputLayout.partName(partition);
    if (!fs.exists(layout.jobDir())) {
      throw new IOException("Job " + jobId + " has no temporary output folder " + layout.jobDir()
          + " (not set up, or already committed or aborted)");
    }
    return new TaskOutputWriter(fs, layout, partition, attempt, codec);
  }

  /**
   * Appends one record as one line, as {@link LineEncoder#TEXT} renders it: {@code byte[]} as
   * they are, a pair as {@code key<TAB>value}, anything else as UTF-8 text.
   */
  public void write(Object record) throws IOException {
    if (state != State.OPEN) {
      throw new IllegalStateException("task output already " + state.name().toLowerCase());
    }
    LineEncoder.writeText(record, writer);
    writer.write('\n');
    records++;
  }

  /** How many records were written. */
  public long records() {
    return records;
  }

  /**
   * Closes the file and makes it the partition's committed output.
   *
   * @return false if another attempt of the same partition had already committed: this attempt's
   *     output is then discarded
   */
  public boolean commit() throws IOException {
    if (state != State.OPEN) {
      throw new IllegalStateException("task output already " + state.name().toLowerCase());
    }
    state = State.COMMITTED;
    writer.close();
    Path taskDir = layout.taskDir(partition);
    if (fs.exists(taskDir)) {
      fs.delete(attemptDir, true);
      return false;
    }
    boolean renamed = fs.rename(attemptDir, taskDir);
    // Losing a race to another attempt makes rename move this folder inside the winner's.
    Path nested = new Path(taskDir, attemptDir.getName());
    if (fs.exists(nested)) {
      fs.delete(nested, true);
      fs.delete(attemptDir, true);
      return false;
    }
    if (!renamed) {
      throw new IOException("Cannot commit task output " + attemptDir + " to " + taskDir);
    }
    return true;
  }

  /** Discards this attempt's output. Does nothing after a commit or an earlier abort. */
  public void abort() throws IOException {
    if (state != State.OPEN) {
      return;
    }
    state = State.ABORTED;
    try {
      writer.close();
    } finally {
      fs.delete(attemptDir, true);
    }
  }

  /** Aborts unless committed: an attempt that never reached {@link #commit()} leaves nothing. */
  @Override
  public void close() throws IOException {
    abort();
  }
}
