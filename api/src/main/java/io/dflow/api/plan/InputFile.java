package io.dflow.api.plan;

import java.util.List;

/** A file to read, with its blocks and the hosts that hold them: what input splits are cut from. */
public record InputFile(String path, long length, List<BlockInfo> blocks) {
  public InputFile {
    blocks = List.copyOf(blocks);
  }

  /** One block of a file and the hosts that hold a replica of it. */
  public record BlockInfo(long offset, long length, List<String> hosts) {
    public BlockInfo {
      hosts = List.copyOf(hosts);
    }
  }
}
