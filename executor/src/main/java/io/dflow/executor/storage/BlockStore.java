package io.dflow.executor.storage;

import io.dflow.api.StorageLevel;
import io.dflow.executor.LocalDirs;
import io.dflow.executor.net.BlockData;
import io.dflow.executor.net.BlockRegion;
import io.dflow.executor.net.HeapBlock;
import io.dflow.executor.protocol.BlockUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cached partitions of persisted datasets on one executor: in memory up to
 * {@code memoryBytes} (encoded bytes, counted exactly), least recently used first out, and on
 * local disk. A partition evicted from memory goes to disk if its level allows, else it is
 * dropped (and recomputed from lineage when needed). Serves its blocks ({@code rdd_<node>_<p>})
 * to other executors. Thread-safe: every method holds the store's lock, which no I/O beyond
 * moving one evicted partition to disk is done under.
 */
public final class BlockStore {
  private static final Pattern BLOCK = Pattern.compile("rdd_(\\d{1,9})_(\\d{1,9})");

  private final Path dir;
  private final long memoryBytes;
  /** Access order: the first entry is the least recently used. */
  private final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long memoryUsed;

  private record Entry(int node, int partition, StorageLevel level, PartitionBuffer buffer) {}

  public BlockStore(Path dir, long memoryBytes) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.memoryBytes = memoryBytes;
  }

  /** The block's name on the wire. */
  public static String blockId(int node, int partition) {
    return "rdd_" + node + "_" + partition;
  }

  /** The cached partition, or null. */
  public synchronized PartitionBuffer get(int node, int partition) {
    Entry e = entries.get(key(node, partition));
    return e == null ? null : e.buffer();
  }

  /**
   * Keeps {@code buffer} as partition {@code partition} of dataset {@code node} at {@code level},
   * if it fits; the store then owns it. Returns what changed: the partition stored, and any
   * partition dropped to make room (none means it was not kept: the caller still owns it).
   */
  public synchronized List<BlockUpdate> put(int node, int partition, PartitionBuffer buffer, StorageLevel level)
      throws IOException {
    List<BlockUpdate> updates = new ArrayList<>();
    long k = key(node, partition);
    if (entries.containsKey(k)) {
      return updates; // another task stored it first; the caller keeps its own copy
    }
    boolean memory = level != StorageLevel.DISK && buffer.inMemory()
        && memoryUsed - evictable(node) + buffer.bytes() <= memoryBytes;
    if (memory) {
      evictFor(buffer.bytes(), node, updates);
    }
    if (memory) {
      memoryUsed += buffer.bytes();
    } else if (level == StorageLevel.MEMORY) {
      return updates;
    } else {
      buffer.moveTo(file(node, partition));
    }
    entries.put(k, new Entry(node, partition, level, buffer));
    updates.add(new BlockUpdate(node, partition, true));
    return updates;
  }

  /** Memory held by partitions of datasets other than {@code node}. */
  private long evictable(int node) {
    long n = 0;
    for (Entry e : entries.values()) {
      if (e.node() != node && e.buffer().inMemory()) {
        n += e.buffer().bytes();
      }
    }
    return n;
  }

  /** Moves other datasets' partitions out of memory, oldest first, until {@code bytes} fit. */
  private void evictFor(long bytes, int inserting, List<BlockUpdate> updates) throws IOException {
    Iterator<Map.Entry<Long, Entry>> it = entries.entrySet().iterator();
    List<Entry> toDisk = new ArrayList<>();
    while (memoryUsed + bytes > memoryBytes && it.hasNext()) {
      Entry e = it.next().getValue();
      if (e.node() == inserting || !e.buffer().inMemory()) {
        continue;
      }
      memoryUsed -= e.buffer().bytes();
      if (e.level() == StorageLevel.MEMORY_AND_DISK) {
        toDisk.add(e);
      } else {
        it.remove();
        updates.add(new BlockUpdate(e.node(), e.partition(), false));
      }
    }
    for (Entry e : toDisk) {
      e.buffer().moveTo(file(e.node(), e.partition()));
    }
  }

  /** Drops every partition of dataset {@code node}; returns how many there were. */
  public synchronized int dropDataset(int node) {
    int dropped = 0;
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.node() == node) {
        it.remove();
        release(e);
        dropped++;
      }
    }
    return dropped;
  }

  /** Where a block's bytes are, for another executor's fetch; the id comes from the network. */
  public synchronized BlockData resolve(String blockId) throws IOException {
    Matcher m = BLOCK.matcher(blockId);
    if (!m.matches()) {
      throw new IOException("not a cached block id: " + (blockId.length() > 80 ? blockId.substring(0, 80) + "..." : blockId));
    }
    Entry e = entries.get(key(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    if (e == null) {
      throw new IOException("no cached block " + blockId + " on this executor");
    }
    PartitionBuffer b = e.buffer();
    return b.inMemory() ? new HeapBlock(b.heap(), (int) b.bytes()) : new BlockRegion(b.file(), 0, b.bytes());
  }

  /** The most bytes of cached partitions held in memory. */
  public long memoryBytes() {
    return memoryBytes;
  }

  /** Bytes of cached partitions held in memory. */
  public synchronized long memoryUsed() {
    return memoryUsed;
  }

  /** Drops everything: the end of the application. */
  public synchronized void deleteAll() {
    entries.values().forEach(this::release);
    entries.clear();
    LocalDirs.deleteRecursively(dir);
  }

  private void release(Entry e) {
    if (e.buffer().inMemory()) {
      memoryUsed -= e.buffer().bytes();
    }
    try {
      e.buffer().close();
    } catch (IOException ignored) {
      // a file that cannot be deleted goes with the local directory at the end
    }
  }

  private Path file(int node, int partition) {
    return dir.resolve(blockId(node, partition));
  }

  private static long key(int node, int partition) {
    return ((long) node << 32) | (partition & 0xffffffffL);
  }
}
