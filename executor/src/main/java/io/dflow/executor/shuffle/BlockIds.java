package io.dflow.executor.shuffle;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the blocks executors serve: {@code shuffle_<job>_<shuffle>_<map>_<reduce>}. Parsed
 * strictly, since a block id arrives from the network.
 */
public final class BlockIds {
  private static final Pattern SHUFFLE = Pattern.compile("shuffle_(\\d{1,9})_(\\d{1,9})_(\\d{1,9})_(\\d{1,9})");

  private BlockIds() {}

  /** The parts of a shuffle block id. */
  public record ShuffleBlock(int job, int shuffle, int map, int reduce) {}

  public static String shuffle(int job, int shuffle, int map, int reduce) {
    return "shuffle_" + job + "_" + shuffle + "_" + map + "_" + reduce;
  }

  public static ShuffleBlock parseShuffle(String blockId) throws IOException {
    Matcher m = SHUFFLE.matcher(blockId);
    if (!m.matches()) {
      throw new IOException("not a shuffle block id: " + abbreviate(blockId));
    }
    return new ShuffleBlock(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
