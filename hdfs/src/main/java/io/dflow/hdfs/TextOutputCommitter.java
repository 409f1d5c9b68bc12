package io.dflow.hdfs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of all-or-nothing output (Hadoop's v1 commit algorithm). Executors write
 * through {@link TaskOutputWriter}; this class prepares the job's temporary folder, then either
 * publishes every partition's committed file and writes {@code _SUCCESS} last, or removes
 * everything the job wrote.
 *
 * <pre>
 * setupJob ──► (tasks write and commit) ──► commitJob ──► out/part-*, out/_SUCCESS
 *  (claim)                                     │ fails
 *     └──────────────────────────────► abortJob ──► nothing of this job's left
 * </pre>
 *
 * <p>{@link #abortJob()} may come while the job's tasks still run, from another thread (a
 * shutdown hook, with little time before the process is killed): an attempt that writes on
 * finds its folder gone and fails, and brings nothing back ({@link TaskOutputWriter}). The
 * three steps exclude each other, so an abort during {@link #commitJob} waits for the commit,
 * then finds nothing left to remove. One instance per job on the driver.
 */
public final class TextOutputCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(TextOutputCommitter.class);

  private final FileSystem fs;
  private final OutputLayout layout;
  private final String owner;
  private boolean createdOutput;
  private boolean claimed;
  /**
   * The YARN application attempt whose master's container this driver runs in (cluster deploy
   * mode), or null: a later attempt of the same application takes over the claims of earlier
   * ones, which YARN ended before it started this one, whatever host they ran on.
   */
  private static final ApplicationAttemptId OWN_ATTEMPT = attemptOf(System.getenv("CONTAINER_ID"));

  /**
   * @param outputPath the job's output folder; without a scheme it is on the default file system
   * @param jobId a file-name-safe id, unique per job run, shared with the job's task writers
   */
  public TextOutputCommitter(String outputPath, String jobId, Configuration conf) throws IOException {
    Path path = new Path(outputPath);
    this.fs = FileSystems.forPath(path, conf);
    this.layout = new OutputLayout(fs.makeQualified(path), jobId);
    this.owner = jobId + " " + ProcessHandle.current().pid() + "@" + hostName()
        + (OWN_ATTEMPT == null ? "" : " " + OWN_ATTEMPT);
  }

  /** The fully qualified output folder. */
  public String outputPath() {
    return layout.output().toString();
  }

  /**
   * Claims the output for this job: refuses one another live job is writing (even with
   * {@code overwrite}), cleans up after one whose process is gone, refuses an existing output
   * unless {@code overwrite} (then deletes it), and creates the job's temporary folder. The claim
   * is an exclusive create, so of two jobs set up together exactly one proceeds.
   *
   * @throws OutputExistsException if the output exists and {@code overwrite} is false
   * @throws IOException naming the other job if another live job writes the output
   */
  public synchronized void setupJob(boolean overwrite) throws IOException {
    Path output = layout.output();
    String other = claimOwner();
    if (other != null) {
      boolean earlierAttempt = isEarlierAttempt(other, OWN_ATTEMPT);
      if (!earlierAttempt && !isDeadHere(other)) {
        throw beingWritten(other);
      }
      LOG.warn("removing the stale {} of {} in {}: {}", OutputLayout.TEMPORARY, other, output,
          earlierAttempt ? "an earlier attempt of this YARN application wrote it" : "its process is gone");
      fs.delete(layout.temporary(), true);
      deleteIfEmpty(output);
    }
    boolean existed = fs.exists(output);
    if (existed) {
      if (!overwrite) {
        throw new OutputExistsException(output.toString());
      }
      if (!fs.delete(output, true)) {
        throw new IOException("Cannot delete the old output " + output);
      }
    }
    fs.mkdirs(layout.temporary());
    if (!claimExclusively()) {
      String winner = claimOwner();
      throw beingWritten(winner == null ? "another job" : winner);
    }
    claimed = true;
    createdOutput = true;
    if (!fs.mkdirs(layout.jobDir())) {
      throw new IOException("Cannot create " + layout.jobDir());
    }
  }

  /**
   * Moves the committed file(s) of partitions {@code 0..partitions-1} into the output folder,
   * removes this job's temporary folder and its claim (and {@code _temporary} if nothing else is
   * in it), and writes an empty {@code _SUCCESS} last. If this fails, call {@link #abortJob()}.
   *
   * @throws IOException if a partition has no committed attempt, or a move fails
   */
  public synchronized void commitJob(int partitions) throws IOException {
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
    removeOwnTemporary();
    fs.create(layout.success(), false).close();
  }

  /**
   * Removes what this job wrote: its temporary folder and its claim, and the output folder if
   * this job made it and nothing else is in it. Never touches an output that existed before and
   * was refused, nor another job's files.
   */
  public synchronized void abortJob() throws IOException {
    if (!claimed) {
      return; // setup never claimed the output: nothing here is this job's
    }
    removeOwnTemporary();
    if (createdOutput) {
      deleteIfEmpty(layout.output());
    }
  }

  private void removeOwnTemporary() throws IOException {
    fs.delete(layout.jobDir(), true);
    if (owner.equals(claimOwner())) {
      fs.delete(layout.claim(), false);
    }
    claimed = false;
    deleteIfEmpty(layout.temporary());
  }

  private void deleteIfEmpty(Path dir) throws IOException {
    if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
      fs.delete(dir, false);
    }
  }

  /** Creates the claim naming this job, unless it exists: atomic on HDFS, and on the local disk through java.nio. */
  private boolean claimExclusively() throws IOException {
    byte[] content = owner.getBytes(StandardCharsets.UTF_8);
    if (fs instanceof LocalFileSystem local) {
      try {
        java.nio.file.Files.write(local.pathToFile(layout.claim()).toPath(), content, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (FSDataOutputStream out = fs.create(layout.claim(), false)) {
      out.write(content);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  /** Who claimed the output ({@code JOB PID@HOST}), or null when nobody has. */
  private String claimOwner() throws IOException {
    try (FSDataInputStream in = fs.open(layout.claim())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  /** Whether the claim's owner ({@code JOB PID@HOST [ATTEMPT]}) ran on this host and its process is gone. */
  private static boolean isDeadHere(String claimOwner) {
    String[] fields = claimOwner.split(" ");
    int at = fields.length < 2 ? -1 : fields[1].lastIndexOf('@');
    if (at < 0 || !fields[1].substring(at + 1).equals(hostName())) {
      return false; // another host's job: it may be alive
    }
    try {
      long pid = Long.parseLong(fields[1].substring(0, at));
      return ProcessHandle.of(pid).isEmpty();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Whether the claim's owner was an earlier attempt of the YARN application attempt {@code own} (null: none). */
  static boolean isEarlierAttempt(String claimOwner, ApplicationAttemptId own) {
    String[] fields = claimOwner.split(" ");
    if (own == null || fields.length < 3) {
      return false;
    }
    try {
      ApplicationAttemptId theirs = ApplicationAttemptId.fromString(fields[2]);
      return theirs.getApplicationId().equals(own.getApplicationId()) && theirs.getAttemptId() < own.getAttemptId();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The application attempt of YARN container {@code containerId} (null, or not a container id: null). */
  static ApplicationAttemptId attemptOf(String containerId) {
    if (containerId == null || containerId.isBlank()) {
      return null;
    }
    try {
      return ContainerId.fromString(containerId.trim()).getApplicationAttemptId();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private IOException beingWritten(String other) {
    return new IOException("Output path " + layout.output() + " is being written by another job (" + other
        + "): wait for it to end, or write elsewhere");
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }
}
