package io.dflow.executor.shuffle;

import io.dflow.planner.ShuffleId;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the shuffle blocks executors serve:
 * {@code shuffle_<node>_<input>_<map>_<task>_<reduce>}, where {@code <node>_<input>} is the
 * shuffle, {@code <map>} the map partition and {@code <task>} the attempt that wrote it (so two
 * attempts of one map task never share a file). Parsed strictly, since a block id arrives from
 * the network.
 */
public final class BlockIds {
  private static final Pattern SHUFFLE = Pattern.compile(
      "shuffle_(\\d{1,9})_(\\d{1,9})_(\\d{1,9})_(\\d{1,18})_(\\d{1,9})");

  private BlockIds() {}

  /** The parts of a shuffle block id. */
  public record ShuffleBlock(ShuffleId shuffle, int map, long taskId, int reduce) {}

  public static String shuffle(ShuffleId shuffle, int map, long taskId, int reduce) {
    return mapOutput(shuffle, map, taskId) + "_" + reduce;
  }

  /** The name of one map output's files (without the reduce partition). */
  public static String mapOutput(ShuffleId shuffle, int map, long taskId) {
    return "shuffle_" + shuffle.node() + "_" + shuffle.input() + "_" + map + "_" + taskId;
  }

  /** Whether {@code blockId} names a shuffle block (rather than, say, a cached one). */
  public static boolean isShuffle(String blockId) {
    return blockId.startsWith("shuffle_");
  }

  public static ShuffleBlock parseShuffle(String blockId) throws IOException {
    Matcher m = SHUFFLE.matcher(blockId);
    if (!m.matches()) {
      throw new IOException("not a shuffle block id: " + abbreviate(blockId));
    }
    return new ShuffleBlock(new ShuffleId(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))),
        Integer.parseInt(m.group(3)), Long.parseLong(m.group(4)), Integer.parseInt(m.group(5)));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
