package io.dflow.planner.split;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.InputFile;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one big file into splits the way Hadoop's {@code FileInputFormat} does: pieces of one
 * split size, the last piece allowed to be up to 10% bigger rather than leaving a tiny tail.
 * When the file's blocks are no bigger than the limit, the split size is the largest whole
 * number of blocks that fits, so cuts fall on block boundaries and a task reads local blocks.
 */
final class FileCutter {
  /** Hadoop's SPLIT_SLOP: the last piece may be this much bigger than the split size. */
  static final double SLOP = 1.1;

  private FileCutter() {}

  static List<FileSplit> cut(InputFile file, long maxSplitBytes) {
    long splitSize = splitSize(file, maxSplitBytes);
    List<FileSplit> pieces = new ArrayList<>();
    long offset = 0;
    long remaining = file.length();
    while ((double) remaining / splitSize > SLOP) {
      pieces.add(piece(file, offset, splitSize));
      offset += splitSize;
      remaining -= splitSize;
    }
    if (remaining > 0) {
      pieces.add(piece(file, offset, remaining));
    }
    return pieces;
  }

  static long splitSize(InputFile file, long maxSplitBytes) {
    long blockSize = 0;
    for (InputFile.BlockInfo block : file.blocks()) {
      blockSize = Math.max(blockSize, block.length());
    }
    if (blockSize <= 0 || blockSize > maxSplitBytes) {
      return maxSplitBytes;
    }
    return blockSize * (maxSplitBytes / blockSize);
  }

  /** Bytes {@code [start, start + length)} of {@code file}, with the hosts holding most of them. */
  static FileSplit piece(InputFile file, long start, long length) {
    return new FileSplit(
        List.of(new FileSplit.Segment(file.path(), start, length)),
        HostRanking.hostsOf(file, start, start + length, SplitPlanner.MAX_HOSTS));
  }
}
