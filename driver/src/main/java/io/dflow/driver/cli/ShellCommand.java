package io.dflow.driver.cli;

import io.dflow.driver.shell.ShellLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dflow shell}: an interactive Java shell against a live application. */
@Command(name = "shell", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"An interactive Java (JShell) prompt against a live dflow application: the dflow API is imported "
        + "and ctx, a JobContext, is defined; lambdas and classes typed at the prompt run on the executors. "
        + "Type :help at the prompt.",
        "With -f, runs a script instead: exit 0 when every snippet ran, 1 at the first that failed."})
final class ShellCommand implements Callable<Integer> {
  @ParentCommand
  DflowCli parent;

  @Option(names = "--master", paramLabel = "M",
      description = "local, local[N], local[*] or local-cluster[E,N] (default: dflow.master, local[*])")
  String master;

  @Option(names = "--conf", paramLabel = "key=value", description = "a configuration setting; repeatable")
  List<String> conf = new ArrayList<>();

  @Option(names = "--jars", paramLabel = "a.jar,b.jar", split = ",",
      description = "jars whose classes snippets may use; shipped to the executors")
  List<Path> jars = new ArrayList<>();

  @Option(names = "-f", paramLabel = "script.jsh", description = "run this script non-interactively")
  Path script;

  @Override
  public Integer call() {
    java.util.Map<String, String> overrides;
    try {
      overrides = CliRequests.overrides(master, conf);
    } catch (IllegalArgumentException e) {
      parent.err.println("error: " + e.getMessage());
      return 1;
    }
    return ShellLauncher.run(overrides, jars, script, System.in, parent.out, parent.err);
  }
}
