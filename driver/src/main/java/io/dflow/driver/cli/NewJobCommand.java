package io.dflow.driver.cli;

import io.dflow.driver.JobLauncher;
import io.dflow.driver.newjob.JobProject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dflow new-job DIR}: writes a Maven project for a job of one's own. */
@Command(name = "new-job", mixinStandardHelpOptions = true,
    description = {"Write a small Maven project into DIR: a word-count DflowJob, its test on a local[2] session "
        + "of dflow's test kit, a README and sample input.",
        "It builds offline once dflow-api and dflow-testkit are in the local Maven repository (mvn install in "
            + "dflow's folder puts them there)."})
final class NewJobCommand implements Callable<Integer> {
  @ParentCommand
  DflowCli parent;

  @Parameters(index = "0", paramLabel = "DIR", description = "the project's folder (new or empty); its name is the artifact id")
  Path dir;

  @Option(names = "--package", paramLabel = "P", description = "the job's Java package (default: com.example.job)")
  String packageName = "com.example.job";

  @Override
  public Integer call() {
    try {
      Path home = JobLauncher.dflowHome();
      String dflow = home == null ? "bin/dflow" : home.resolve("bin").resolve("dflow").toString();
      for (Path file : JobProject.write(dir, packageName, dflow)) {
        parent.out.println("wrote " + dir.resolve(file));
      }
      String version = JobProject.dflowVersion();
      Path testkit = Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "dflow", "dflow-testkit", version);
      if (!Files.isDirectory(testkit)) {
        parent.err.println("note: dflow-testkit " + version + " is not in the local Maven repository yet; run "
            + "'mvn -q install -DskipTests' in " + (home == null ? "dflow's folder" : home) + " once before building");
      }
      parent.out.println("next: cd " + dir + " && mvn -o -q package && " + dflow
          + " run --master 'local[2]' target/" + dir.toAbsolutePath().normalize().getFileName()
          + "-1.0.jar data/sample.txt /tmp/out");
      return 0;
    } catch (IllegalArgumentException e) {
      parent.err.println("error: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      parent.err.println("error: cannot write the project into " + dir + ": " + e.getMessage());
      return 1;
    }
  }
}
