package io.dflow.driver;

import io.dflow.api.plan.Action;
import io.dflow.api.plan.InputFile;
import io.dflow.api.plan.LogicalNode;
import io.dflow.hdfs.Codecs;
import io.dflow.hdfs.HadoopConf;
import io.dflow.hdfs.InputLister;
import io.dflow.hdfs.TextOutputCommitter;
import io.dflow.planner.PhysicalPlan;
import io.dflow.planner.PlanInputs;
import io.dflow.planner.Planner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;

/** The driver's side of the file systems: listing inputs and committing a job's output. */
final class JobFiles {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobFiles.class);

  private final Map<String, String> conf;
  private final Configuration hadoop;
  private final io.dflow.hdfs.RackResolver racks;
  private final InputLister lister;
  /** The committers of the outputs being written, which {@link #abortOutputs} removes at once. */
  private final java.util.Set<TextOutputCommitter> writing = java.util.concurrent.ConcurrentHashMap.newKeySet();

  JobFiles(Map<String, String> conf) {
    this.conf = conf;
    this.hadoop = HadoopConf.create(conf);
    this.lister = new InputLister(hadoop);
    this.racks = new io.dflow.hdfs.RackResolver(hadoop);
  }

  List<InputFile> list(String path) throws IOException {
    return lister.list(path);
  }

  /** Plans {@code node}, turning a listing failure (a missing input, say) into a job failure. */
  static PhysicalPlan planOrFail(Planner planner, LogicalNode node, Action action, PlanInputs inputs) {
    try {
      return planner.plan(node, action, inputs);
    } catch (UncheckedIOException e) {
      throw new JobFailedException(e.getCause().getMessage());
    }
  }

  /**
   * Runs {@code job} between setting up and committing text output at {@code path}: all of it
   * lands, with {@code _SUCCESS} last, or none of it does.
   */
  <T> T commitOutput(String path, String jobKey, boolean overwrite, int partitions, Supplier<T> job) {
    TextOutputCommitter committer;
    try {
      Codecs.forOutput(conf, hadoop); // an unknown codec, or one that cannot run here, fails before any task
      committer = new TextOutputCommitter(path, jobKey, hadoop);
      committer.setupJob(overwrite);
    } catch (IOException | IllegalArgumentException e) {
      throw new JobFailedException(e.getMessage());
    }
    writing.add(committer);
    try {
      T result = job.get();
      committer.commitJob(partitions);
      return result;
    } catch (IOException | RuntimeException e) {
      try {
        committer.abortJob();
      } catch (IOException abort) {
        e.addSuppressed(abort);
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new JobFailedException("cannot commit the output " + path + ": " + e.getMessage());
    } finally {
      writing.remove(committer);
    }
  }

  /**
   * Removes the partial output of every job writing one now, without waiting for its tasks to
   * stop (they fail on the missing folder): for a process about to be killed, which may not live
   * to see its jobs fail. A job committing waits for its commit to end instead.
   */
  void abortOutputs() {
    for (TextOutputCommitter committer : writing) {
      try {
        committer.abortJob();
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot remove the partial output {}: {}",
            committer.outputPath(), e.toString());
      }
    }
  }

  /** The racks of hosts, as the Hadoop topology settings say. */
  io.dflow.hdfs.RackResolver racks() {
    return racks;
  }
}
