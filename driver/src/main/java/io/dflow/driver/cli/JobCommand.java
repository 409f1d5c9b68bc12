package io.dflow.driver.cli;

import io.dflow.driver.JobRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** A subcommand that takes a job jar and its options: {@code run} and {@code explain}. */
abstract class JobCommand implements Callable<Integer> {
  @ParentCommand
  DflowCli parent;

  @Mixin
  JobOptions options;

  @Override
  public Integer call() {
    JobRequest request;
    try {
      request = CliRequests.from(options);
    } catch (IllegalArgumentException e) {
      parent.err.println("error: " + e.getMessage());
      return 1;
    }
    return launch(request);
  }

  abstract int launch(JobRequest request);
}
