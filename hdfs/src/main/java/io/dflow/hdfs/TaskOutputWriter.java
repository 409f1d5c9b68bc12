package io.dflow.hdfs;

import java.io.Closeable;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The executor side of all-or-nothing file output: one task attempt writes its partition's
 * records into one part file (in the format a {@link PartFormat} writes) under the job's
 * temporary folder, then commits or aborts.
 *
 * <pre>
 * open ──► write* ──► commit ──► COMMITTED (or discarded: another attempt committed first)
 *             └─────► abort / close ──► ABORTED (attempt folder deleted)
 * </pre>
 *
 * <p>Nothing here makes a missing parent folder: an attempt whose job's temporary folder was
 * removed (the job aborted while it ran) fails and leaves nothing, so the driver may abort
 * before it has stopped the job's tasks. Needs only what an executor process has: the output
 * path, the job id, the partition and attempt numbers and a Hadoop Configuration. Not thread
 * safe.
 */
public final class TaskOutputWriter implements Closeable {
  private enum State { OPEN, COMMITTED, ABORTED }

  private final FileSystem fs;
  private final OutputLayout layout;
  private final int partition;
  private final Path attemptDir;
  private final PartWriter writer;
  private long records;
  private State state = State.OPEN;

  private TaskOutputWriter(FileSystem fs, OutputLayout layout, int partition, long attempt, PartFormat format,
      Configuration conf) throws IOException {
    this.fs = fs;
    this.layout = layout;
    this.partition = partition;
    this.attemptDir = layout.attemptDir(partition, attempt);
    try {
      NonRecursiveCreates.mkdir(fs, attemptDir);
    } catch (java.io.FileNotFoundException e) {
      throw new IOException("Job " + layout.jobId() + " has no temporary output folder " + layout.jobDir()
          + " (not set up, or already committed or aborted)", e);
    }
    Path file = new Path(attemptDir, OutputLayout.partName(partition) + format.extension());
    try {
      this.writer = format.create(new NonRecursiveCreates(fs), file, conf);
    } catch (IOException | RuntimeException e) {
      fs.delete(attemptDir, true);
      throw e;
    }
  }

  /**
   * Starts task attempt {@code attempt} of {@code partition}, creating its (empty) text part file.
   *
   * @throws IOException if the job's temporary folder is missing (job not set up, or aborted)
   */
  public static TaskOutputWriter open(String outputPath, String jobId, int partition, long attempt,
      Configuration conf) throws IOException {
    return open(outputPath, jobId, partition, attempt, conf, new TextPartFormat(null));
  }

  /** Like {@link #open(String, String, int, long, Configuration)}, writing a part file in {@code format}. */
  public static TaskOutputWriter open(String outputPath, String jobId, int partition, long attempt,
      Configuration conf, PartFormat format) throws IOException {
    Path path = new Path(outputPath);
    FileSystem fs = FileSystems.forPath(path, conf);
    OutputLayout layout = new OutputLayout(fs.makeQualified(path), jobId);
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must not be negative: " + attempt);
    }
    OutputLayout.partName(partition);
    return new TaskOutputWriter(fs, layout, partition, attempt, format, conf);
  }

  /** Appends one record to the part file. */
  public void write(Object record) throws IOException {
    if (state != State.OPEN) {
      throw new IllegalStateException("task output already " + state.name().toLowerCase());
    }
    writer.write(record);
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
    return commit(() -> true);
  }

  /** Whether this attempt may commit: asked once its output is complete, just before it is moved. */
  @FunctionalInterface
  public interface Permission {
    boolean granted() throws IOException;
  }

  /**
   * Like {@link #commit()}, first asking {@code permission} (the driver's commit coordinator).
   *
   * @throws CommitDeniedException if it is refused: the output is discarded
   */
  public boolean commit(Permission permission) throws IOException {
    if (state != State.OPEN) {
      throw new IllegalStateException("task output already " + state.name().toLowerCase());
    }
    state = State.COMMITTED;
    writer.close();
    if (!permission.granted()) {
      fs.delete(attemptDir, true);
      throw new CommitDeniedException("commit denied: another attempt of partition " + partition
          + " commits its output");
    }
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
