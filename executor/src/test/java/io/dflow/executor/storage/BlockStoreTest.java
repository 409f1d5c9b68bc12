package io.dflow.executor.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.StorageLevel;
import io.dflow.arrow.Allocators;
import io.dflow.executor.net.BlockData;
import io.dflow.executor.net.BlockRegion;
import io.dflow.executor.net.HeapBlock;
import io.dflow.executor.protocol.BlockUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cached partitions of one executor: memory bounded to the byte by their encoded sizes,
 * other datasets' partitions evicted least recently used first (to disk or dropped, by their
 * level), DISK partitions in files, whole datasets dropped, and block ids from the network
 * parsed strictly.
 */
class BlockStoreTest {
  /** Records per partition: every partition made here encodes to {@link #unit} bytes. */
  private static final int RECORDS = 400;

  @TempDir
  Path tmp;
  private Path dir;
  private BufferAllocator allocator;
  private long unit;
  private int spills;

  @BeforeEach
  void open() throws IOException {
    dir = tmp.resolve("blocks");
    allocator = Allocators.forTask("BlockStoreTest", 64 << 20);
    unit = partition().bytes();
  }

  @AfterEach
  void noLeak() {
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory left allocated");
    allocator.close();
  }

  /** A partition of {@link #RECORDS} records, in memory. */
  private PartitionBuffer partition() throws IOException {
    return PartitionBuffer.write(PartitionBufferTest.records(RECORDS).iterator(), PartitionBufferTest.ENCODER,
        allocator, 64 << 20, () -> tmp.resolve("spill-" + ++spills));
  }

  /** The same partition, written past a tiny memory limit: already in a file of the task's. */
  private PartitionBuffer spilledPartition() throws IOException {
    return PartitionBuffer.write(PartitionBufferTest.records(RECORDS).iterator(), PartitionBufferTest.ENCODER,
        allocator, 10, () -> tmp.resolve("spill-" + ++spills));
  }

  private List<Object> read(PartitionBuffer buffer) throws IOException {
    return PartitionBufferTest.read(buffer, allocator);
  }

  private List<String> files() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private static BlockUpdate stored(int node, int partition) {
    return new BlockUpdate(node, partition, true);
  }

  @Test
  void memoryHoldsExactlyAsManyBytesAsItIsGiven() throws IOException {
    BlockStore store = new BlockStore(dir, 2 * unit);
    assertEquals(List.of(stored(1, 0)), store.put(1, 0, partition(), StorageLevel.MEMORY));
    assertEquals(unit, store.memoryUsed());
    assertEquals(List.of(stored(1, 1)), store.put(1, 1, partition(), StorageLevel.MEMORY), "fits to the byte");
    assertEquals(2 * unit, store.memoryUsed());

    // full of its own dataset: a third partition of it is not kept, and nothing of it is evicted
    PartitionBuffer third = partition();
    assertEquals(List.of(), store.put(1, 2, third, StorageLevel.MEMORY));
    assertNull(store.get(1, 2));
    assertEquals(2 * unit, store.memoryUsed());
    assertTrue(store.get(1, 0).inMemory() && store.get(1, 1).inMemory());
    assertTrue(third.inMemory(), "the caller still owns it, untouched");

    BlockStore oneByteShort = new BlockStore(tmp.resolve("short"), 2 * unit - 1);
    oneByteShort.put(1, 0, partition(), StorageLevel.MEMORY);
    assertEquals(List.of(), oneByteShort.put(1, 1, partition(), StorageLevel.MEMORY), "one byte over");
    assertEquals(unit, oneByteShort.memoryUsed());
    // MEMORY_AND_DISK takes the disk instead
    assertEquals(List.of(stored(1, 1)), oneByteShort.put(1, 1, partition(), StorageLevel.MEMORY_AND_DISK));
    assertFalse(oneByteShort.get(1, 1).inMemory());
    assertEquals(unit, oneByteShort.memoryUsed());
  }

  @Test
  void otherDatasetsAreEvictedLeastRecentlyUsedFirstAndMemoryOnesAreReportedDropped() throws IOException {
    BlockStore store = new BlockStore(dir, 2 * unit);
    store.put(1, 0, partition(), StorageLevel.MEMORY);
    store.put(1, 1, partition(), StorageLevel.MEMORY);
    assertNotNull(store.get(1, 0)); // (1, 0) is now the more recently used

    PartitionBuffer incoming = partition();
    List<BlockUpdate> updates = store.put(2, 0, incoming, StorageLevel.MEMORY);

    assertEquals(List.of(new BlockUpdate(1, 1, false), stored(2, 0)), updates);
    assertNull(store.get(1, 1));
    assertNotNull(store.get(1, 0));
    assertSame(incoming, store.get(2, 0));
    assertEquals(2 * unit, store.memoryUsed());
    IOException gone = assertThrows(IOException.class, () -> store.resolve(BlockStore.blockId(1, 1)));
    assertEquals("no cached block rdd_1_1 on this executor", gone.getMessage());

    // two partitions' room makes both remaining older ones go
    BlockStore bigger = new BlockStore(tmp.resolve("bigger"), 3 * unit);
    bigger.put(1, 0, partition(), StorageLevel.MEMORY);
    bigger.put(2, 0, partition(), StorageLevel.MEMORY);
    bigger.put(3, 0, partition(), StorageLevel.MEMORY);
    PartitionBuffer twice = PartitionBuffer.write(PartitionBufferTest.records(2 * RECORDS - 50).iterator(),
        PartitionBufferTest.ENCODER, allocator, 64 << 20, () -> tmp.resolve("unused"));
    assertTrue(twice.bytes() > unit && twice.bytes() <= 2 * unit, twice.bytes() + " vs " + unit);
    assertEquals(List.of(new BlockUpdate(1, 0, false), new BlockUpdate(2, 0, false), stored(4, 0)),
        bigger.put(4, 0, twice, StorageLevel.MEMORY));
    assertEquals(unit + twice.bytes(), bigger.memoryUsed());
  }

  @Test
  void evictedMemoryAndDiskPartitionsMoveToDiskAndStayReadable() throws IOException {
    BlockStore store = new BlockStore(dir, 2 * unit);
    PartitionBuffer first = partition();
    byte[] firstBytes = Arrays.copyOf(first.heap(), (int) first.bytes());
    store.put(1, 0, first, StorageLevel.MEMORY_AND_DISK);
    store.put(1, 1, partition(), StorageLevel.MEMORY_AND_DISK);

    assertEquals(List.of(stored(2, 0)), store.put(2, 0, partition(), StorageLevel.MEMORY),
        "a partition moved to disk is still stored: nothing to report");

    PartitionBuffer moved = store.get(1, 0);
    assertSame(first, moved);
    assertFalse(moved.inMemory());
    assertEquals(List.of("rdd_1_0"), files());
    assertEquals(unit, Files.size(dir.resolve("rdd_1_0")));
    assertEquals(PartitionBufferTest.records(RECORDS), read(moved));
    assertTrue(store.get(1, 1).inMemory());
    assertEquals(2 * unit, store.memoryUsed());

    BlockRegion region = assertInstanceOf(BlockRegion.class, store.resolve("rdd_1_0"));
    assertEquals(new BlockRegion(dir.resolve("rdd_1_0"), 0, unit), region);
    assertArrayEquals(firstBytes, region.readAll());
  }

  @Test
  void diskPartitionsGoToAFileAndTakeNoMemory() throws IOException {
    BlockStore store = new BlockStore(dir, 0);
    PartitionBuffer buffer = partition();
    byte[] bytes = Arrays.copyOf(buffer.heap(), (int) buffer.bytes());
    assertEquals(List.of(stored(3, 0)), store.put(3, 0, buffer, StorageLevel.DISK));
    PartitionBuffer spilled = spilledPartition();
    Path spillFile = spilled.file();
    assertTrue(Files.exists(spillFile));
    assertEquals(List.of(stored(3, 1)), store.put(3, 1, spilled, StorageLevel.DISK));

    assertEquals(0, store.memoryUsed());
    assertEquals(List.of("rdd_3_0", "rdd_3_1"), files());
    assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("rdd_3_0")));
    assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("rdd_3_1")));
    assertFalse(Files.exists(spillFile), "a spilled partition's file is moved, not copied");
    assertEquals(PartitionBufferTest.records(RECORDS), read(store.get(3, 1)));

    // no memory at all: MEMORY is refused, MEMORY_AND_DISK goes to disk
    assertEquals(List.of(), store.put(4, 0, partition(), StorageLevel.MEMORY));
    assertEquals(List.of(stored(4, 1)), store.put(4, 1, partition(), StorageLevel.MEMORY_AND_DISK));
    assertEquals(List.of("rdd_3_0", "rdd_3_1", "rdd_4_1"), files());
  }

  @Test
  void aPartitionStoredTwiceKeepsTheFirstCopy() throws IOException {
    BlockStore store = new BlockStore(dir, 4 * unit);
    PartitionBuffer first = partition();
    store.put(1, 0, first, StorageLevel.MEMORY);
    assertEquals(List.of(), store.put(1, 0, partition(), StorageLevel.MEMORY));
    assertSame(first, store.get(1, 0));
    assertEquals(unit, store.memoryUsed());
  }

  @Test
  void droppingADatasetFreesItsMemoryAndDeletesItsFiles() throws IOException {
    BlockStore store = new BlockStore(dir, 2 * unit);
    store.put(1, 0, partition(), StorageLevel.MEMORY);
    store.put(1, 1, partition(), StorageLevel.DISK);
    store.put(2, 0, partition(), StorageLevel.MEMORY);
    assertEquals(2 * unit, store.memoryUsed());

    assertEquals(2, store.dropDataset(1));

    assertNull(store.get(1, 0));
    assertNull(store.get(1, 1));
    assertNotNull(store.get(2, 0));
    assertEquals(unit, store.memoryUsed());
    assertEquals(List.of(), files());
    assertEquals(0, store.dropDataset(1));
    assertThrows(IOException.class, () -> store.resolve("rdd_1_1"));
    // the freed memory is usable again
    assertEquals(List.of(stored(5, 0)), store.put(5, 0, partition(), StorageLevel.MEMORY));

    store.deleteAll();
    assertFalse(Files.exists(dir));
    assertEquals(0, store.memoryUsed());
  }

  @Test
  void resolveServesStoredBlocksAndRefusesBadIds() throws IOException {
    BlockStore store = new BlockStore(dir, 2 * unit);
    PartitionBuffer buffer = partition();
    byte[] bytes = Arrays.copyOf(buffer.heap(), (int) buffer.bytes());
    store.put(7, 3, buffer, StorageLevel.MEMORY);
    BlockData served = store.resolve("rdd_7_3");
    HeapBlock heap = assertInstanceOf(HeapBlock.class, served);
    assertEquals(unit, heap.length());
    assertArrayEquals(bytes, heap.readAll());

    String[] hostile = {
        "", "rdd_7", "rdd_7_3_1", "rdd_-7_3", "rdd_7_+3", "RDD_7_3", " rdd_7_3", "rdd_7_3\n", "rdd_7_3/../../x",
        "../rdd_7_3", "rdd_1234567890_0", "rdd_\u0661_3", "shuffle_1_0_2_3_4", "../../etc/passwd"
    };
    for (String id : hostile) {
      IOException e = assertThrows(IOException.class, () -> store.resolve(id), id);
      assertTrue(e.getMessage().startsWith("not a cached block id: "), e.getMessage());
    }
    IOException longId = assertThrows(IOException.class, () -> store.resolve("rdd_" + "7".repeat(10_000)));
    assertTrue(longId.getMessage().length() < 120 && longId.getMessage().endsWith("..."), longId.getMessage());
    IOException unknown = assertThrows(IOException.class, () -> store.resolve("rdd_7_4"));
    assertEquals("no cached block rdd_7_4 on this executor", unknown.getMessage());
    assertEquals(List.of(), files(), "nothing was created on the way");
  }
}
