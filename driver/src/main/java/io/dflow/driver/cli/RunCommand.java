package io.dflow.driver.cli;

import io.dflow.driver.JobLauncher;
import io.dflow.driver.JobRequest;
import picocli.CommandLine.Command;

/** {@code dflow run}: runs a job jar and reports how it went. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a job jar. Exit 0 on success; on failure a non-zero exit and the reason on the first line of stderr.")
final class RunCommand extends JobCommand {
  @Override
  int launch(JobRequest request) {
    return JobLauncher.run(request, parent.err);
  }
}
