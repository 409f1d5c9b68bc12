package io.dflow.bench.jmh;

import io.dflow.api.Pair;
import io.dflow.arrow.Allocators;
import io.dflow.arrow.Compression;
import io.dflow.arrow.SegmentReader;
import io.dflow.arrow.SegmentSource;
import io.dflow.arrow.ShuffleFileWriter;
import io.dflow.arrow.ShuffleIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A reduce task's decoding: {@link SegmentReader} over every segment of a map output of
 * {@code mib} MiB (as {@link ShuffleWriteBench} writes it), validating each segment and
 * iterating every record. The segments come from a heap buffer (as a segment fetched from
 * another executor arrives) or from the file, a batch at a time ({@link SegmentSource#ofFile},
 * as a task reads its own executor's segments). One operation reads the whole map output.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.OPENS, Jvm.XMS, Jvm.XMX})
public class SegmentReadBench {
  /** Bytes of each record's value (its key adds 8). */
  @Param({"100", "1024"})
  public int valueBytes;

  /** The record batches' compression: {@code NONE}, {@code LZ4} or {@code ZSTD}. */
  @Param({"NONE", "LZ4"})
  public String codec;

  /** Where the segments' bytes are: {@code heap} (a byte array) or {@code file}. */
  @Param({"heap", "file"})
  public String source;

  /** Raw payload of the map output in MiB. */
  @Param({"32"})
  public int mib;

  private Path dir;
  private Path data;
  private BufferAllocator allocator;
  private ShuffleIndex index;
  private byte[] bytes;
  private long payload;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    if (!source.equals("heap") && !source.equals("file")) {
      throw new IllegalArgumentException("source must be heap or file: " + source);
    }
    dir = Records.scratch("dflow-jmh-read");
    data = dir.resolve("shuffle_0_0.data");
    Path indexFile = dir.resolve("shuffle_0_0.index");
    allocator = Allocators.forTask("SegmentReadBench", 1L << 30);
    List<List<Pair<Long, byte[]>>> partitions = Records.partitions(Records.PARTITIONS, valueBytes, (long) mib << 20);
    payload = Records.payload(partitions);
    new ShuffleFileWriter(Records.ENCODER, allocator, Compression.named(codec))
        .write(data, indexFile, partitions.size(), p -> partitions.get(p).iterator());
    index = ShuffleIndex.read(indexFile, data);
    bytes = source.equals("heap") ? Files.readAllBytes(data) : null;
    long read = 0;
    for (int p = 0; p < index.numPartitions(); p++) {
      try (SegmentReader reader = open(p)) {
        for (; reader.hasNext(); reader.next()) {
          read++;
        }
      }
    }
    if (read != Records.count(partitions)) {
      throw new IllegalStateException("read " + read + " records of " + Records.count(partitions));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    allocator.close();
    Records.delete(dir);
  }

  private SegmentReader open(int p) throws IOException {
    long offset = index.offset(p);
    long length = index.length(p);
    SegmentSource segment = bytes != null
        ? SegmentSource.of(ByteBuffer.wrap(bytes, (int) offset, (int) length))
        : SegmentSource.ofFile(data, offset, length);
    return SegmentReader.open(segment, Records.ENCODER, allocator, Records.POLICY);
  }

  @Benchmark
  public void read(Throughput counters, Blackhole blackhole) throws IOException {
    for (int p = 0; p < index.numPartitions(); p++) {
      try (SegmentReader reader = open(p)) {
        while (reader.hasNext()) {
          blackhole.consume(reader.next());
        }
      }
    }
    counters.add(payload, index.dataLength());
  }
}
