package io.dflow.bench.jmh;

import io.dflow.api.Pair;
import io.dflow.arrow.Allocators;
import io.dflow.arrow.Compression;
import io.dflow.arrow.ShuffleFileWriter;
import io.dflow.arrow.ShuffleWriteResult;
import java.io.IOException;
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

/**
 * A map task's last step: {@link ShuffleFileWriter} writing {@code mib} MiB of
 * {@code Pair<Long, byte[]>} records, already partitioned, over {@link Records#PARTITIONS}
 * partitions into a data file and an index (written under temporary names and renamed into
 * place, as every map output is). One operation writes the whole map output, to files of a new
 * name as every map task does (renaming over an existing file would make ext4 start writing the
 * new one out at once); the files an iteration wrote are deleted after it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.OPENS, Jvm.XMS, Jvm.XMX})
public class ShuffleWriteBench {
  /** Bytes of each record's value (its key adds 8). */
  @Param({"100", "1024"})
  public int valueBytes;

  /** The record batches' compression: {@code NONE}, {@code LZ4} or {@code ZSTD}. */
  @Param({"NONE", "LZ4"})
  public String codec;

  /** Raw payload of the map output in MiB. */
  @Param({"32"})
  public int mib;

  private Path dir;
  private int written;
  private BufferAllocator allocator;
  private Compression compression;
  private List<List<Pair<Long, byte[]>>> partitions;
  private long payload;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Records.scratch("dflow-jmh-write");
    allocator = Allocators.forTask("ShuffleWriteBench", 1L << 30);
    compression = Compression.named(codec);
    partitions = Records.partitions(Records.PARTITIONS, valueBytes, (long) mib << 20);
    payload = Records.payload(partitions);
    ShuffleWriteResult first = writeOnce();
    if (first.totalRecords() != Records.count(partitions)) {
      throw new IllegalStateException("wrote " + first.totalRecords() + " records of " + Records.count(partitions));
    }
  }

  /** Deletes the map outputs of the iteration that ended. */
  @TearDown(Level.Iteration)
  public void deleteOutputs() throws IOException {
    for (int n = 0; n < written; n++) {
      Files.deleteIfExists(dir.resolve("shuffle_0_" + n + ".data"));
      Files.deleteIfExists(dir.resolve("shuffle_0_" + n + ".index"));
    }
    written = 0;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    allocator.close();
    Records.delete(dir);
  }

  private ShuffleWriteResult writeOnce() throws IOException {
    String name = "shuffle_0_" + written++;
    return new ShuffleFileWriter(Records.ENCODER, allocator, compression).write(dir.resolve(name + ".data"),
        dir.resolve(name + ".index"), partitions.size(), p -> partitions.get(p).iterator());
  }

  @Benchmark
  public ShuffleWriteResult write(Throughput counters) throws IOException {
    ShuffleWriteResult result = writeOnce();
    counters.add(payload, result.totalBytes());
    return result;
  }
}
