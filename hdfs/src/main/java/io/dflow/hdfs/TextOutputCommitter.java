package io.dflow.hdfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The driver side of all-or-nothing output (Hadoop's v1 commit algorithm). Executors write
 * through {@link TaskOutputWriter}; this class prepares the job's temporary folder, then either
 * publishes every partition's committed file and writes {@code _SUCCESS} last, or removes
 * everything the job wrote.
 *
 * <pre>
 * setupJob ──► (tasks write and commit) ──► commitJob ──► out/part-*, out/_SUCCESS
 *     │                                        │ fails
 *     └──────────────────────────────► abortJob ──► nothing left (output folder removed)
 * </pre>
 *
 * <p>Stop the job's tasks before {@link #abortJob()}: a task still writing could recreate its
 * attempt folder. Not thread safe; one instance per job on the driver.
 */
public final class TextOutputCommitter {
  private final FileSystem fs;
  private final OutputLayout layout;
  private boolean createdOutput;

  /**
   * @param outputPath the job's output folder; without a scheme it is on the default file system
   * @param jobId a file-name-safe id, unique per job run, shared with the job's task writers
   */
  public TextOutputCommitter(String outputPath, String jobId, Configuration conf) throws IOException {
    Path path = new Path(outputPath);
    this.fs = FileSystems.forPath(path, conf);
    this.layout = new OutputLayout(fs.makeQualified(path), jobId);
  }

  /** The fully qualified output folder. */
  public String outputPath() {
    return layout.output().toString();
  }

  /**
   * Refuses an existing output unless {@code overwrite} (then deletes it), and creates the job's
   * temporary folder.
   *
   * @throws OutputExistsException if the output exists and {@code overwrite} is false
   */
  public void setupJob(boolean overwrite) throws IOException {
    Path output = layout.output();
    if (fs.exists(output)) {
      if (!overwrite) {
        throw new OutputExistsException(output.toString());
      }
      if (!fs.delete(output, true)) {
        throw new IOException("Cannot delete the old output " + output);
      }
    }
    createdOutput = true;
    if (!fs.mkdirs(layout.jobDir())) {
      throw new IOException("Cannot create " + layout.jobDir());
    }
  }

  /**
   * Moves the committed file(s) of partitions {@code 0..partitions-1} into the output folder,
   * deletes {@code _temporary} and writes an empty {@code _SUCCESS} last. If this fails, call
   * {@link #abortJob()}.
   *
   * @throws IOException if a partition has no committed attempt, or a move fails
   */
  public void commitJob(int partitions) throws IOException {
    if (!fs.exists(layout.jobDir())) {
      throw new IOException("Job " + layout.jobId() + " has no temporary output under "
          + layout.temporary() + " (not set up, or already committed or aborted)");
    }
    List<FileStatus> files = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      Path taskDir = layout.taskDir(p);
      if (!fs.exists(taskDir)) {
        throw new IOException("Partition " + p + " of job " + layout.jobId() + " has no committed output");
      }
      for (FileStatus file : fs.listStatus(taskDir)) {
        if (file.isFile()) {
          files.add(file);
        }
      }
    }
    for (FileStatus file : files) {
      Path target = new Path(layout.output(), file.getPath().getName());
      if (fs.exists(target) || !fs.rename(file.getPath(), target)) {
        throw new IOException("Cannot move " + file.getPath() + " to " + target);
      }
    }
    fs.delete(layout.temporary(), true);
    fs.create(layout.success(), false).close();
  }

  /**
   * Deletes the job's temporary folder and, if {@link #setupJob} created the output folder, the
   * output folder too: a failed job leaves no part files and no {@code _SUCCESS}. Never touches
   * an output that existed before and was refused.
   */
  public void abortJob() throws IOException {
    if (createdOutput) {
      fs.delete(layout.output(), true);
    } else {
      fs.delete(layout.jobDir(), true);
    }
  }
}
