package io.dflow.hdfs;

import io.dflow.api.plan.InputFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.SplittableCompressionCodec;

/**
 * Lists the files behind an input path, with their blocks and the hosts holding them.
 *
 * <p>The path may name a file, a folder (read recursively) or a glob. As in Hadoop, names
 * starting with {@code _} or {@code .} (such as {@code _SUCCESS}, {@code _temporary},
 * {@code .crc} files) are skipped inside folders and among glob matches; a file named
 * explicitly is read whatever its name. A path without a scheme is on the Configuration's
 * default file system. Results are sorted by their fully qualified path.
 */
public final class InputLister {
  private static final PathFilter VISIBLE = path -> isVisible(path.getName());

  private final Configuration conf;

  public InputLister(Configuration conf) {
    this.conf = conf;
  }

  /**
   * The non-hidden files under {@code path}; an empty folder gives an empty list.
   *
   * @throws FileNotFoundException {@code Input path does not exist: <qualified path>} if nothing
   *     is there, or a glob matches nothing
   */
  public List<InputFile> list(String path) throws IOException {
    Path given = new Path(path);
    FileSystem fs = FileSystems.forPath(given, conf);
    Path qualified = fs.makeQualified(given);
    Map<String, InputFile> found = new TreeMap<>();
    for (FileStatus status : roots(fs, qualified)) {
      if (status.isDirectory()) {
        addFolder(fs, status.getPath(), found);
      } else {
        BlockLocation[] blocks = fs.getFileBlockLocations(status, 0, status.getLen());
        add(status, blocks, found, conf);
      }
    }
    return List.copyOf(found.values());
  }

  private static FileStatus[] roots(FileSystem fs, Path qualified) throws IOException {
    if (isGlob(qualified.toString())) {
      FileStatus[] matches = fs.globStatus(qualified, VISIBLE);
      if (matches == null || matches.length == 0) {
        throw notFound(qualified);
      }
      return matches;
    }
    try {
      return new FileStatus[] {fs.getFileStatus(qualified)};
    } catch (FileNotFoundException e) {
      throw notFound(qualified);
    }
  }

  private void addFolder(FileSystem fs, Path folder, Map<String, InputFile> found)
      throws IOException {
    RemoteIterator<LocatedFileStatus> children = fs.listLocatedStatus(folder);
    while (children.hasNext()) {
      LocatedFileStatus child = children.next();
      if (!isVisible(child.getPath().getName())) {
        continue;
      }
      if (child.isDirectory()) {
        addFolder(fs, child.getPath(), found);
      } else {
        add(child, child.getBlockLocations(), found, conf);
      }
    }
  }

  /** A compressed file (by its extension) is listed as one that must be read whole, unless its codec splits (bzip2). */
  private static void add(FileStatus file, BlockLocation[] locations, Map<String, InputFile> found,
      Configuration conf) throws IOException {
    List<InputFile.BlockInfo> blocks = new ArrayList<>();
    if (locations != null) {
      for (BlockLocation location : locations) {
        blocks.add(new InputFile.BlockInfo(
            location.getOffset(), location.getLength(), Arrays.asList(location.getHosts())));
      }
    }
    String path = file.getPath().toString();
    CompressionCodec codec = Codecs.of(path, conf);
    found.put(path, new InputFile(path, file.getLen(), blocks,
        codec == null || codec instanceof SplittableCompressionCodec));
  }

  private static FileNotFoundException notFound(Path qualified) {
    return new FileNotFoundException("Input path does not exist: " + qualified);
  }

  static boolean isVisible(String name) {
    return !name.startsWith("_") && !name.startsWith(".");
  }

  static boolean isGlob(String path) {
    for (int i = 0; i < path.length(); i++) {
      switch (path.charAt(i)) {
        case '*', '?', '[', '{', '\\' -> {
          return true;
        }
        default -> {
        }
      }
    }
    return false;
  }
}
