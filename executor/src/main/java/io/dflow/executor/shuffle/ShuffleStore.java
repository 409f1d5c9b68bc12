package io.dflow.executor.shuffle;

import io.dflow.api.Encoder;
import io.dflow.arrow.Compression;
import io.dflow.arrow.ShuffleFileWriter;
import io.dflow.arrow.ShuffleIndex;
import io.dflow.arrow.ShuffleWriteResult;
import io.dflow.executor.LocalDirs;
import io.dflow.executor.net.BlockRegion;
import io.dflow.planner.ShuffleId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
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

  /**
   * Writes the partitions (in order) of map task {@code map}, attempt {@code taskId}, its record
   * batches compressed with {@code compression} (Arrow IPC body compression; none for
   * {@link Compression#NONE}); says how many bytes and records went where.
   */
  public ShuffleWriteResult writeMapOutput(ShuffleId shuffle, int map, long taskId, Encoder<?> encoder,
      int numPartitions, IntFunction<? extends Iterator<?>> partitions, BufferAllocator allocator,
      Compression compression) throws IOException {
    String name = BlockIds.mapOutput(shuffle, map, taskId);
    indexes.remove(name);
    return new ShuffleFileWriter(encoder, allocator, compression)
        .write(dir.resolve(name + ".data"), dir.resolve(name + ".index"), numPartitions, partitions);
  }

  /** Where block {@code blockId}'s bytes are; the id comes from the network and is parsed strictly. */
  public BlockRegion resolve(String blockId) throws IOException {
    BlockIds.ShuffleBlock block = BlockIds.parseShuffle(blockId);
    String name = BlockIds.mapOutput(block.shuffle(), block.map(), block.taskId());
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
    return resolve(blockId).readAll();
  }

  /** Deletes every map output: the end of the application. */
  public void deleteAll() {
    indexes.clear();
    LocalDirs.deleteRecursively(dir);
  }
}
