package io.dflow.driver.cli;

import io.dflow.driver.JobLauncher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code dflow explain}: prints the plan of a job's first action without running it. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = "Print the stages, tasks and partitions of the job's first action, without running it.")
final class ExplainCommand implements Callable<Integer> {
  @ParentCommand
  DflowCli parent;

  @Mixin
  JobOptions options;

  @Override
  public Integer call() {
    return JobLauncher.run(CliRequests.from(options), true, parent.err, parent.out);
  }
}
