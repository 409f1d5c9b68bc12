package io.dflow.executor.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.arrow.Allocators;
import io.dflow.arrow.DeserializationPolicy;
import io.dflow.arrow.SegmentReader;
import io.dflow.executor.serde.JavaSerde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition's records encoded once and read back any number of times: kept in memory under
 * its limit, spilled to one file past it (the same bytes either way), the file deleted on close
 * or when writing fails.
 */
class PartitionBufferTest {
  static final Encoder<?> ENCODER = Encoders.pairs(Encoders.strings(), Encoders.longs());
  static final DeserializationPolicy POLICY = new DeserializationPolicy(PartitionBufferTest.class.getClassLoader(),
      JavaSerde.filter(PartitionBufferTest.class.getClassLoader()));

  @TempDir
  Path tmp;
  private BufferAllocator allocator;
  private final AtomicInteger spills = new AtomicInteger();

  @BeforeEach
  void open() {
    allocator = Allocators.forTask("PartitionBufferTest", 64 << 20);
  }

  @AfterEach
  void noLeak() {
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory left allocated");
    allocator.close();
  }

  static List<Object> records(int n) {
    List<Object> records = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      records.add(Pair.of("record-" + i, i * 7));
    }
    return records;
  }

  private Path nextSpill() {
    return tmp.resolve("spill-" + spills.incrementAndGet());
  }

  private PartitionBuffer write(List<Object> records, long memoryLimit) throws IOException {
    return PartitionBuffer.write(records.iterator(), ENCODER, allocator, memoryLimit, this::nextSpill);
  }

  static List<Object> read(PartitionBuffer buffer, BufferAllocator allocator) throws IOException {
    List<Object> out = new ArrayList<>();
    try (SegmentReader reader = buffer.read(allocator, POLICY)) {
      reader.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void recordsRoundTripInMemory() throws IOException {
    List<Object> records = records(3_000);
    PartitionBuffer buffer = write(records, 64 << 20);

    assertTrue(buffer.inMemory());
    assertEquals(3_000, buffer.records());
    assertEquals(0, spills.get(), "no file was asked for");
    assertEquals(records, read(buffer, allocator));
    // readers may overlap
    try (SegmentReader first = buffer.read(allocator, POLICY); SegmentReader second = buffer.read(allocator, POLICY)) {
      assertEquals(records.get(0), first.next());
      assertEquals(records.get(0), second.next());
      assertEquals(records.get(1), first.next());
    }
  }

  @Test
  void pastATinyMemoryLimitTheSameBytesGoToOneFile() throws IOException {
    List<Object> records = records(3_000);
    PartitionBuffer inMemory = write(records, 64 << 20);
    PartitionBuffer spilled = write(records, 100);

    assertFalse(spilled.inMemory());
    assertEquals(1, spills.get());
    Path file = tmp.resolve("spill-1");
    assertEquals(file, spilled.file());
    assertEquals(inMemory.bytes(), spilled.bytes(), "the size is the encoding's, wherever it is kept");
    assertEquals(spilled.bytes(), Files.size(file));
    assertArrayEquals(Arrays.copyOf(inMemory.heap(), (int) inMemory.bytes()), Files.readAllBytes(file));
    assertEquals(records, read(spilled, allocator));
    assertEquals(3_000, spilled.records());

    spilled.close();
    assertFalse(Files.exists(file), "closing deletes the file");
    spilled.close(); // and may be repeated
  }

  @Test
  void aLimitOfZeroWritesStraightToAFileAndAnEmptyPartitionReadsEmpty() throws IOException {
    PartitionBuffer empty = write(List.of(), 0);
    assertEquals(0, empty.records());
    assertEquals(List.of(), read(empty, allocator));
    empty.close();

    PartitionBuffer one = write(records(1), 0);
    assertFalse(one.inMemory());
    assertEquals(records(1), read(one, allocator));
    one.close();
    try (var files = Files.list(tmp)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void aBufferOverFetchedBytesReadsTheSameRecords() throws IOException {
    List<Object> records = records(500);
    PartitionBuffer original = write(records, 64 << 20);
    byte[] segment = Arrays.copyOf(original.heap(), (int) original.bytes());

    PartitionBuffer fetched = PartitionBuffer.ofBytes(ENCODER, segment);
    assertTrue(fetched.inMemory());
    assertEquals(segment.length, fetched.bytes());
    assertEquals(-1, fetched.records(), "the count is not known from bytes alone");
    assertEquals(records, read(fetched, allocator));
  }

  @Test
  void movingToAFileKeepsTheRecordsAndFreesTheHeap() throws IOException {
    List<Object> records = records(800);
    PartitionBuffer buffer = write(records, 64 << 20);
    Path target = tmp.resolve("moved");
    buffer.moveTo(target);
    assertFalse(buffer.inMemory());
    assertEquals(target, buffer.file());
    assertEquals(buffer.bytes(), Files.size(target));
    assertEquals(records, read(buffer, allocator));

    PartitionBuffer spilled = write(records, 10);
    Path from = spilled.file();
    Path target2 = tmp.resolve("moved-again");
    spilled.moveTo(target2);
    assertFalse(Files.exists(from));
    assertEquals(records, read(spilled, allocator));
    buffer.close();
    spilled.close();
    assertFalse(Files.exists(target) || Files.exists(target2));
  }

  @Test
  void aFailureWhileWritingDeletesTheSpillFile() {
    Iterator<Object> failing = new Iterator<>() {
      private final Iterator<Object> records = records(20_000).iterator();
      private int n;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Object next() {
        if (++n == 15_000) { // past the first batch of 8192 records, which spilled
          throw new IllegalStateException("the input broke");
        }
        if (!records.hasNext()) {
          throw new NoSuchElementException();
        }
        return records.next();
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PartitionBuffer.write(failing, ENCODER, allocator, 100, this::nextSpill));
    assertEquals("the input broke", e.getMessage());
    assertEquals(1, spills.get(), "it had spilled before failing");
    assertFalse(Files.exists(tmp.resolve("spill-1")));
  }
}
