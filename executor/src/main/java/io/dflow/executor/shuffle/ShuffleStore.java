package io.dflow.executor.shuffle;

import io.dflow.api.Encoder;
import io.dflow.arrow.ShuffleFileWriter;
import io.dflow.arrow.ShuffleIndex;
import io.dflow.arrow.ShuffleWriteResult;
import io.dflow.executor.LocalDirs;
import io.dflow.executor.net.BlockRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The map outputs this executor wrote: one Arrow data file and one index per map task, under
 * its local directory. Resolves block ids to file regions for the transport, which sends them
 * zero-copy, and reads them directly when the reducer is on this executor.
 */
public final class ShuffleStore {
  private final Path dir;
  private final Map<String, ShuffleIndex> indexes = new ConcurrentHashMap<>();

  public ShuffleStore(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  /** Writes map task {@code map}'s partitions (in order); says how many bytes and records went where. */
  public ShuffleWriteResult writeMapOutput(int job, int shuffle, int map, Encoder<?> encoder,
      List<? extends Iterable<?>> partitions, BufferAllocator allocator) throws IOException {
    String name = fileName(job, shuffle, map);
    indexes.remove(name);
    return new ShuffleFileWriter(encoder, allocator)
        .write(dir.resolve(name + ".data"), dir.resolve(name + ".index"), partitions.size(),
            p -> partitions.get(p).iterator());
  }

  /** Where block {@code blockId}'s bytes are; the id comes from the network and is parsed strictly. */
  public BlockRegion resolve(String blockId) throws IOException {
    BlockIds.ShuffleBlock block = BlockIds.parseShuffle(blockId);
    String name = fileName(block.job(), block.shuffle(), block.map());
    Path data = dir.resolve(name + ".data");
    ShuffleIndex index = indexes.get(name);
    if (index == null) {
      Path indexFile = dir.resolve(name + ".index");
      if (!Files.exists(indexFile)) {
        throw new IOException("no map output " + name + " on this executor");
      }
      index = ShuffleIndex.read(indexFile, data);
      indexes.put(name, index);
    }
    if (block.reduce() >= index.numPartitions()) {
      throw new IOException("map output " + name + " has " + index.numPartitions()
          + " partitions, not " + (block.reduce() + 1));
    }
    return new BlockRegion(data, index.offset(block.reduce()), index.length(block.reduce()));
  }

  /** The bytes of a block this executor wrote. */
  public byte[] read(String blockId) throws IOException {
    BlockRegion region = resolve(blockId);
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(region.length()));
    try (FileChannel ch = FileChannel.open(region.file(), StandardOpenOption.READ)) {
      while (buf.hasRemaining()) {
        if (ch.read(buf, region.offset() + buf.position()) < 0) {
          throw new IOException("map output file " + region.file() + " is shorter than its index says");
        }
      }
    }
    return buf.array();
  }

  /** Deletes every map output: the end of the application. */
  public void deleteAll() {
    indexes.clear();
    LocalDirs.deleteRecursively(dir);
  }

  private static String fileName(int job, int shuffle, int map) {
    return "shuffle_" + job + "_" + shuffle + "_" + map;
  }
}
