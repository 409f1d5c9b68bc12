package io.dflow.driver.cli;

import io.dflow.driver.JobLauncher;
import io.dflow.driver.JobRequest;
import io.dflow.driver.DflowConf;
import io.dflow.driver.yarn.ClusterSubmission;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code dflow run}: runs a job jar and reports how it went. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a job jar. Exit 0 on success; on failure a non-zero exit and the reason on the first line of stderr.")
final class RunCommand extends JobCommand {
  @Override
  int launch(JobRequest request) {
    Map<String, String> conf;
    try {
      conf = DflowConf.load(JobLauncher.dflowHome(), request.conf());
    } catch (IOException | IllegalArgumentException e) {
      parent.err.println("error: " + e.getMessage());
      return 1;
    }
    if (conf.get(DflowConf.DEPLOY_MODE).trim().equals("cluster")) {
      return ClusterSubmission.run(request, conf, parent.err);
    }
    return JobLauncher.run(request, parent.err);
  }
}
