package io.dflow.executor.shuffle;

import io.dflow.api.Encoder;
import io.dflow.arrow.DeserializationPolicy;
import io.dflow.arrow.SegmentReader;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.arrow.Compression;
import io.dflow.arrow.ShuffleWriteResult;
import io.dflow.executor.memory.ExecutionMemory;
import io.dflow.executor.memory.TaskMemory;
import io.dflow.executor.net.BlockData;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.planner.ShuffleId;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;

/** Decoding shuffle segments the way a reduce task does, for the shuffle tests. */
final class ShuffleFixtures {
  private static final ClassLoader LOADER = ShuffleFixtures.class.getClassLoader();
  static final DeserializationPolicy POLICY = new DeserializationPolicy(LOADER, JavaSerde.filter(LOADER));

  private ShuffleFixtures() {}

  /**
   * {@code record} as a test can keep it: a group whose values stream from the merge is copied
   * into a list while it is current (the next group would pass over it).
   */
  static Object held(Object record) {
    if (record instanceof io.dflow.api.Pair<?, ?> pair && pair.value() instanceof StreamedValues streamed) {
      List<Object> values = new ArrayList<>();
      streamed.forEach(values::add);
      return io.dflow.api.Pair.of(pair.key(), values);
    }
    return record;
  }

  static List<Object> decode(byte[] segment, Encoder<?> encoder, BufferAllocator allocator)
      throws IOException {
    List<Object> records = new ArrayList<>();
    try (SegmentReader reader = SegmentReader.open(segment, encoder, allocator, POLICY)) {
      reader.forEachRemaining(records::add);
    }
    return records;
  }

  /** Opens segments as a reduce task does. */
  static ShuffleReader.SegmentOpener opener(Encoder<?> encoder, BufferAllocator allocator) {
    return segment -> SegmentReader.open(segment, encoder, allocator, POLICY);
  }

  /** Sort settings of a task with {@code memory} bytes of execution memory, spilling LZ4 runs into {@code dir}. */
  static SortSettings settings(Path dir, long memory, List<Closeable> closeAtEnd) {
    TaskMemory task = new ExecutionMemory(memory).forTask("test", memory);
    AtomicInteger files = new AtomicInteger();
    return new SortSettings(task, () -> dir.resolve("spill-" + files.incrementAndGet()), Compression.LZ4, POLICY,
        new SpillMetrics(), closeAtEnd::add);
  }

  /** Writes map output partitions given as lists, LZ4-compressed as by default. */
  static ShuffleWriteResult write(ShuffleStore store, ShuffleId shuffle, int map, long taskId, Encoder<?> encoder,
      List<? extends List<?>> partitions, BufferAllocator allocator) throws IOException {
    return store.writeMapOutput(shuffle, map, taskId, encoder, partitions.size(), p -> partitions.get(p).iterator(),
        allocator, Compression.LZ4);
  }

  /** A reduce partition's merged records and the bytes fetched for it. */
  record Read(List<Object> records, long bytesFetched) {}

  /** Fetches and merges reduce partition {@code p} as a reduce task does. */
  static Read read(ShuffleId shuffle, ShuffleSpec spec, int p, List<MapOutputLocation> maps, BlockFetcher fetcher,
      BufferAllocator allocator, SortSettings settings) throws IOException {
    long[] bytes = {0};
    try (ShuffleReader reader = new ShuffleReader(shuffle, p, maps, fetcher, opener(spec.recordEncoder(), allocator),
        48 << 20, n -> bytes[0] += n)) {
      List<Object> out = new ArrayList<>();
      Merger.mergeFetched(spec, reader, settings).forEachRemaining(r -> out.add(held(r)));
      return new Read(out, bytes[0]);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** A fetched block's bytes as an array. */
  static byte[] bytes(BlockData block) {
    try {
      return block.readAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
