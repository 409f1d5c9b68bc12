package io.dflow.planner.split;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.InputFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the files of a text source into input splits of about {@code maxSplitBytes} each:
 * a file bigger than that is cut into pieces (block-aligned where it can be, the last piece
 * up to 10% over) unless it must be read whole (compressed: one split of its own), smaller
 * files are packed together up to the limit, empty files are dropped.
 * Every split names up to {@value #MAX_HOSTS} hosts holding most of its bytes, best first.
 * The same files in any order give the same splits, ordered by their first file and offset.
 */
public final class SplitPlanner {
  /** How many preferred hosts a split names at most. */
  public static final int MAX_HOSTS = 3;

  private static final Comparator<FileSplit> BY_FIRST_SEGMENT =
      Comparator.<FileSplit, String>comparing(s -> s.segments().get(0).path())
          .thenComparingLong(s -> s.segments().get(0).start());

  private SplitPlanner() {}

  public static List<FileSplit> plan(List<InputFile> files, long maxSplitBytes) {
    if (maxSplitBytes < 1) {
      throw new IllegalArgumentException("maxSplitBytes must be positive: " + maxSplitBytes);
    }
    List<InputFile> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(InputFile::path));
    List<FileSplit> splits = new ArrayList<>();
    List<InputFile> small = new ArrayList<>();
    for (InputFile file : sorted) {
      if (file.length() > maxSplitBytes) {
        splits.addAll(file.splittable() ? FileCutter.cut(file, maxSplitBytes)
            : List.of(FileCutter.piece(file, 0, file.length())));
      } else if (file.length() > 0) {
        small.add(file);
      }
    }
    splits.addAll(SmallFilePacker.pack(small, maxSplitBytes));
    splits.sort(BY_FIRST_SEGMENT);
    return List.copyOf(splits);
  }
}
