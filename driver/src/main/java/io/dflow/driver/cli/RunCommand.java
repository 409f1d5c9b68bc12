package io.dflow.driver.cli;

import io.dflow.driver.JobLauncher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code dflow run}: runs a job jar and reports how it went. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a job jar. Exit 0 on success; on failure a non-zero exit and the reason on the first line of stderr.")
final class RunCommand implements Callable<Integer> {
  @ParentCommand
  DflowCli parent;

  @Mixin
  JobOptions options;

  @Override
  public Integer call() {
    return JobLauncher.run(CliRequests.from(options), false, parent.err);
  }
}
