package io.dflow.hdfs;

import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * Where a job's output lives while it is written:
 * <pre>
 * out/_temporary/_claim                         which job writes here (created exclusively)
 * out/_temporary/JOB/_attempt_P_A/part-PPPPP   one running task attempt
 * out/_temporary/JOB/task_P/part-PPPPP         the committed attempt of partition P
 * out/part-PPPPP                               after the job commits
 * out/_SUCCESS                                 written last
 * </pre>
 */
final class OutputLayout {
  static final String TEMPORARY = "_temporary";
  static final String SUCCESS = "_SUCCESS";
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Path output;
  private final String jobId;

  OutputLayout(Path output, String jobId) {
    if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
      throw new IllegalArgumentException("job id must be letters, digits, '.', '_' or '-': " + jobId);
    }
    this.output = output;
    this.jobId = jobId;
  }

  Path output() {
    return output;
  }

  String jobId() {
    return jobId;
  }

  Path temporary() {
    return new Path(output, TEMPORARY);
  }

  Path jobDir() {
    return new Path(temporary(), jobId);
  }

  Path attemptDir(int partition, long attempt) {
    return new Path(jobDir(), "_attempt_" + partition + "_" + attempt);
  }

  Path taskDir(int partition) {
    return new Path(jobDir(), "task_" + partition);
  }

  Path claim() {
    return new Path(temporary(), "_claim");
  }

  Path success() {
    return new Path(output, SUCCESS);
  }

  static String partName(int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must not be negative: " + partition);
    }
    return String.format("part-%05d", partition);
  }
}
