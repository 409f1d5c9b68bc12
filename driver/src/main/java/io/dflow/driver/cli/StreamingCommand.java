package io.dflow.driver.cli;

import io.dflow.driver.DflowConf;
import io.dflow.driver.JobLauncher;
import io.dflow.streaming.StreamingJob;
import io.dflow.streaming.StreamingOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code dflow streaming}: a Hadoop Streaming job, with Hadoop Streaming's spelling of the
 * options (one dash), dflow's own ({@code --master}, {@code --overwrite}, {@code --conf}) and the
 * generic {@code -D key=value}, in any order.
 */
@Command(name = "streaming", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run a Hadoop Streaming job: the mapper and reducer are commands in any language that read "
        + "lines on stdin and write key<TAB>value lines on stdout.",
        "Exit 0 on success; on failure a non-zero exit and the reason on the first line of stderr."})
final class StreamingCommand implements Callable<Integer> {
  @ParentCommand
  DflowCli parent;

  @Option(names = "--master", paramLabel = "M", description = "local, local[N], local[*] or local-cluster[E,N]")
  String master;

  @Option(names = "--overwrite", description = "replace an existing output path")
  boolean overwrite;

  @Option(names = "--conf", paramLabel = "key=value", description = "a dflow setting; repeatable")
  List<String> conf = new ArrayList<>();

  @Option(names = "-D", paramLabel = "key=value",
      description = "a job setting (stream.*, mapreduce.*, dflow.*), also passed to the commands' environment "
          + "with dots as underscores; repeatable")
  List<String> defines = new ArrayList<>();

  @Option(names = "-input", paramLabel = "PATH", description = "input files, folders or globs, comma-separated; repeatable")
  List<String> inputs = new ArrayList<>();

  @Option(names = "-output", paramLabel = "PATH", description = "the output folder")
  String output;

  @Option(names = "-mapper", paramLabel = "CMD|CLASS",
      description = "the mapper command, or a Java class implementing org.apache.hadoop.mapred.Mapper")
  String mapper;

  @Option(names = "-combiner", paramLabel = "CMD|CLASS",
      description = "a combiner command or Java Reducer class, run in the map tasks on sorted map output")
  String combiner;

  @Option(names = "-reducer", paramLabel = "CMD|CLASS|NONE",
      description = "the reducer command, a Java class implementing org.apache.hadoop.mapred.Reducer, or aggregate "
          + "(Hadoop's ValueAggregatorReducer and its combiner); NONE for a map-only job; none given: the sorted "
          + "pairs are written")
  String reducer;

  @Option(names = "-files", paramLabel = "a,b#link", split = ",",
      description = "files to ship into every task's working directory, optionally under another name")
  List<String> files = new ArrayList<>();

  @Option(names = "-file", paramLabel = "F", description = "a file to ship (the old spelling of -files); repeatable")
  List<String> file = new ArrayList<>();

  @Option(names = "-libjars", paramLabel = "JAR",
      description = "a jar of Java classes given as -mapper, -combiner or -reducer (Hadoop's old mapred API), "
          + "shipped to every executor")
  String libJars;

  @Option(names = "-cmdenv", paramLabel = "NAME=VALUE", description = "a variable for the commands' environment; repeatable")
  List<String> cmdenv = new ArrayList<>();

  @Option(names = "-numReduceTasks", paramLabel = "N", description = "reduce tasks; 0 for a map-only job")
  Integer numReduceTasks;

  @Option(names = "-partitioner", paramLabel = "CLASS",
      description = "org.apache.hadoop.mapred.lib.KeyFieldBasedPartitioner (with mapreduce.partition.keypartitioner.options)")
  String partitioner;

  @Option(names = "-inputformat", paramLabel = "FORMAT", description = "TextInputFormat (the default) or KeyValueTextInputFormat")
  String inputFormat;

  @Override
  public Integer call() {
    Map<String, String> overrides = new LinkedHashMap<>();
    Map<String, String> defined = new LinkedHashMap<>();
    StreamingOptions options;
    try {
      for (String pair : conf) {
        Map.Entry<String, String> e = DflowConf.parsePair(pair);
        overrides.put(e.getKey(), e.getValue());
      }
      for (String pair : defines) {
        Map.Entry<String, String> e = DflowConf.parsePair(pair);
        defined.put(e.getKey(), e.getValue());
      }
      List<String> shipped = new ArrayList<>(files);
      shipped.addAll(file);
      if (libJars != null && libJars.contains(",")) {
        throw new IllegalArgumentException("-libjars takes one jar in dflow streaming, got '" + libJars
            + "' (join the classes into one jar)");
      }
      options = new StreamingOptions(inputs, output, mapper, combiner, reducer, shipped, cmdenv, numReduceTasks,
          partitioner, inputFormat, defined);
    } catch (IllegalArgumentException e) {
      parent.err.println("error: " + e.getMessage());
      parent.err.println("Try 'dflow streaming --help' for the options.");
      return 2;
    }
    overrides.putAll(defined);
    if (master != null) {
      overrides.put(DflowConf.MASTER, master);
    }
    if (overwrite) {
      overrides.put(DflowConf.OVERWRITE, "true");
    }
    return JobLauncher.runBuiltIn(new StreamingJob(options), libJars == null ? null : Path.of(libJars), overrides,
        parent.err);
  }
}
