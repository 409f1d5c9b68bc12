package io.dflow.driver.cli;

import io.dflow.driver.JobLauncher;
import io.dflow.driver.JobRequest;
import picocli.CommandLine.Command;

/** {@code dflow explain}: prints the plan of a job's first action without running it. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Print the stages, tasks and partitions of the job's first action, without running it.")
final class ExplainCommand extends JobCommand {
  @Override
  int launch(JobRequest request) {
    return JobLauncher.explain(request, parent.out, parent.err);
  }
}
