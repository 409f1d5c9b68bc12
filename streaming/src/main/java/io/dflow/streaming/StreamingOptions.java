package io.dflow.streaming;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code dflow streaming} command line asks for, in Hadoop Streaming's terms, checked:
 * the inputs (each may be a comma-separated list and a glob), the output, the mapper, the
 * optional combiner and reducer ({@code NONE} or {@code -numReduceTasks 0}: map-only; none given:
 * the identity reducer, which writes the sorted pairs), files to ship, variables for the
 * children, and the {@code -D} settings (which also reach the children's environment with dots
 * turned into underscores).
 *
 * @param numReduceTasks null: {@code mapreduce.job.reduces}, else dflow's default partitions
 * @param partitioner null, or a Hadoop partitioner class name
 * @param inputFormat null, or a Hadoop input format class name
 */
public record StreamingOptions(List<String> inputs, String output, String mapper, String combiner,
    String reducer, List<String> files, List<String> cmdenv, Integer numReduceTasks, String partitioner,
    String inputFormat, Map<String, String> defines) {

  private static final List<String> KEY_FIELD_PARTITIONERS = List.of(
      "org.apache.hadoop.mapred.lib.KeyFieldBasedPartitioner",
      "org.apache.hadoop.mapreduce.lib.partition.KeyFieldBasedPartitioner", "KeyFieldBasedPartitioner");
  private static final List<String> HASH_PARTITIONERS = List.of(
      "org.apache.hadoop.mapred.lib.HashPartitioner",
      "org.apache.hadoop.mapreduce.lib.partition.HashPartitioner", "HashPartitioner");
  private static final List<String> IDENTITY = List.of("org.apache.hadoop.mapred.lib.IdentityReducer",
      "org.apache.hadoop.mapred.lib.IdentityMapper", "IdentityReducer", "IdentityMapper");

  public StreamingOptions {
    inputs = List.copyOf(inputs);
    files = List.copyOf(files);
    cmdenv = List.copyOf(cmdenv);
    defines = Map.copyOf(defines);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("missing -input: give at least one input path");
    }
    if (output == null || output.isBlank()) {
      throw new IllegalArgumentException("missing -output: give the output path");
    }
    if (mapper == null || mapper.isBlank()) {
      throw new IllegalArgumentException("missing -mapper: give the mapper command");
    }
    if (numReduceTasks != null && numReduceTasks < 0) {
      throw new IllegalArgumentException("-numReduceTasks must not be negative, got " + numReduceTasks);
    }
    if (partitioner != null && !KEY_FIELD_PARTITIONERS.contains(partitioner) && !HASH_PARTITIONERS.contains(partitioner)) {
      throw new IllegalArgumentException("-partitioner " + partitioner + " is not supported: dflow streaming has "
          + "org.apache.hadoop.mapred.lib.KeyFieldBasedPartitioner and HashPartitioner");
    }
    if (inputFormat != null && !keyValueInput(inputFormat) && !inputFormat.endsWith("TextInputFormat")) {
      throw new IllegalArgumentException("-inputformat " + inputFormat
          + " is not supported: dflow streaming has TextInputFormat and KeyValueTextInputFormat");
    }
    for (String pair : cmdenv) {
      if (pair.indexOf('=') < 1) {
        throw new IllegalArgumentException("-cmdenv expects NAME=VALUE, got '" + pair + "'");
      }
    }
    for (String command : new String[] {mapper, combiner, reducer}) {
      if (command != null && command.isBlank()) {
        throw new IllegalArgumentException("an empty command was given to -mapper, -combiner or -reducer");
      }
    }
  }

  /** Every input path: the comma-separated lists of every {@code -input}, split. */
  public List<String> inputPaths() {
    List<String> paths = new ArrayList<>();
    for (String input : inputs) {
      for (String path : input.split(",")) {
        if (!path.isBlank()) {
          paths.add(path.strip());
        }
      }
    }
    return paths;
  }

  /** Whether the mapper's output is the job's output. */
  public boolean mapOnly() {
    return "NONE".equals(reducer) || Integer.valueOf(0).equals(numReduceTasks)
        || (numReduceTasks == null && "0".equals(defines.get("mapreduce.job.reduces")));
  }

  /** Whether the mapper is Hadoop's identity class: the input lines are the map output. */
  public boolean identityMapper() {
    return IDENTITY.contains(mapper);
  }

  /** Whether pairs are written as they come out of the sort (no {@code -reducer}, or the identity class). */
  public boolean identityReducer() {
    return reducer == null || IDENTITY.contains(reducer);
  }

  public boolean keyFieldPartitioner() {
    return partitioner != null && KEY_FIELD_PARTITIONERS.contains(partitioner);
  }

  public boolean keyValueInput() {
    return inputFormat != null && keyValueInput(inputFormat);
  }

  private static boolean keyValueInput(String format) {
    return format.equals("KeyValueTextInputFormat") || format.endsWith(".KeyValueTextInputFormat");
  }

  /** The variables every child gets: the {@code -cmdenv} ones, and each {@code -D} key with dots as underscores. */
  public Map<String, String> childEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    defines.forEach((key, value) -> env.put(key.replace('.', '_'), value));
    for (String pair : cmdenv) {
      int eq = pair.indexOf('=');
      env.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return env;
  }
}
