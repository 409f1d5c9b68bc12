package io.dflow.driver.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options shared by {@code dflow run} and {@code dflow explain}: which job, where, with what settings. */
public final class JobOptions {
  @Option(names = "--master", paramLabel = "M",
      description = "local, local[N], local[*], local-cluster[E,N] or yarn (default: dflow.master, local[*])")
  String master;

  @Option(names = "--deploy-mode", paramLabel = "MODE",
      description = "yarn: client (the driver runs here, the default) or cluster (in the application master's container)")
  String deployMode;

  @Option(names = "--num-executors", paramLabel = "N", description = "yarn: executor containers (dflow.executor.instances)")
  String numExecutors;

  @Option(names = "--executor-cores", paramLabel = "N", description = "yarn: task slots per executor (dflow.executor.cores)")
  String executorCores;

  @Option(names = "--executor-memory", paramLabel = "SIZE", description = "heap per executor, e.g. 2g (dflow.executor.memory)")
  String executorMemory;

  @Option(names = "--queue", paramLabel = "Q", description = "yarn: the queue to submit to (dflow.yarn.queue)")
  String queue;

  @Option(names = "--name", paramLabel = "NAME", description = "yarn: the application's name (dflow.app.name)")
  String name;

  @Option(names = "--class", paramLabel = "C",
      description = "the io.dflow.api.DflowJob class to run (default: the jar's Main-Class)")
  String className;

  @Option(names = "--conf", paramLabel = "key=value", description = "a configuration setting; repeatable")
  List<String> conf = new ArrayList<>();

  @Option(names = "--overwrite", description = "replace an existing output path")
  boolean overwrite;

  @Parameters(index = "0", paramLabel = "<jar>", description = "the job jar")
  Path jar;

  @Parameters(index = "1..*", paramLabel = "args", description = "the job's own arguments")
  List<String> args = new ArrayList<>();
}
