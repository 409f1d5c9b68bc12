package io.dflow.api.plan;

import java.util.List;

/**
 * A file to read, with its blocks and the hosts that hold them: what input splits are cut from.
 *
 * @param splittable false for a file that must be read whole, from its start (compressed)
 */
public record InputFile(String path, long length, List<BlockInfo> blocks, boolean splittable) {
  public InputFile {
    blocks = List.copyOf(blocks);
  }

  /** A file that may be cut anywhere (plain text). */
  public InputFile(String path, long length, List<BlockInfo> blocks) {
    this(path, length, blocks, true);
  }

  /** One block of a file and the hosts that hold a replica of it. */
  public record BlockInfo(long offset, long length, List<String> hosts) {
    public BlockInfo {
      hosts = List.copyOf(hosts);
    }
  }
}
