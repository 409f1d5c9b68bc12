package io.dflow.bench.jmh;

import io.dflow.api.Pair;
import io.dflow.arrow.Allocators;
import io.dflow.arrow.Compression;
import io.dflow.arrow.SegmentReader;
import io.dflow.arrow.SegmentSource;
import io.dflow.arrow.ShuffleWriteResult;
import io.dflow.executor.net.BlockData;
import io.dflow.executor.net.HeapBlock;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportServer;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.shuffle.BlockIds;
import io.dflow.executor.shuffle.NetworkFetcher;
import io.dflow.executor.shuffle.ShuffleStore;
import io.dflow.planner.ShuffleId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * The network path of a remote shuffle segment: executor B's {@link NetworkFetcher} fetching
 * one map output segment of {@code mib} MiB from executor A's {@link ShuffleStore} through A's
 * {@link TransportServer}, over one authenticated loopback connection with the default
 * transport settings (4 MiB fetch chunks, the file sent zero-copy), as a reduce task fetches
 * another executor's segment; {@code fetchAndDecode} also decodes every record of it, as the
 * reduce task then does. Both executors live in this JVM and share its transport I/O threads,
 * so the work is not all on the benchmark's thread: {@code cpuNanos} counts all of it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.OPENS, Jvm.XMS, Jvm.XMX})
public class FetchBench {
  private static final ShuffleId SHUFFLE = new ShuffleId(0, 1);
  private static final ExecutorId A = new ExecutorId("a");
  private static final ExecutorId B = new ExecutorId("b");
  private static final String HOST = "127.0.0.1";
  private static final MessageHandler NO_CONTROL = (from, body) -> { };

  /** Bytes of each record's value (its key adds 8). */
  @Param({"1024"})
  public int valueBytes;

  /** The segment's compression: {@code NONE}, {@code LZ4} or {@code ZSTD}. */
  @Param({"NONE", "LZ4"})
  public String codec;

  /** Raw payload of the fetched segment in MiB. */
  @Param({"32"})
  public int mib;

  private Path dir;
  private BufferAllocator allocator;
  private TransportServer serverA;
  private NetworkFetcher fetcherB;
  private String blockId;
  private long payload;
  private long blockBytes;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Records.scratch("dflow-jmh-fetch");
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    TransportConf conf = TransportConf.defaults(secret);
    allocator = Allocators.forTask("FetchBench", 1L << 30);

    ShuffleStore storeA = new ShuffleStore(dir.resolve("a"));
    List<List<Pair<Long, byte[]>>> segment = Records.partitions(1, valueBytes, (long) mib << 20);
    payload = Records.payload(segment);
    ShuffleWriteResult written = storeA.writeMapOutput(SHUFFLE, 0, 1L, Records.ENCODER, 1,
        p -> segment.get(p).iterator(), allocator, Compression.named(codec));
    blockId = BlockIds.shuffle(SHUFFLE, 0, 1L, 0);
    blockBytes = written.length(0);
    serverA = TransportServer.start(HOST, 0, conf, NO_CONTROL, storeA::resolve);

    ShuffleStore storeB = new ShuffleStore(dir.resolve("b"));
    fetcherB = new NetworkFetcher(B, storeB::resolve, conf);
    byte[] fetched = fetchBlock().readAll(); // connects and authenticates
    if (!Arrays.equals(fetched, storeA.read(blockId))) {
      throw new IllegalStateException("fetched " + fetched.length + " bytes that differ from the "
          + blockBytes + " of block " + blockId);
    }
    if (decode(ByteBuffer.wrap(fetched), null) != Records.count(segment)) {
      throw new IllegalStateException("the fetched block does not decode to its records");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    fetcherB.close();
    serverA.close();
    allocator.close();
    Records.delete(dir);
  }

  private BlockData fetchBlock() throws InterruptedException, ExecutionException, TimeoutException {
    return fetcherB.fetch(A, HOST, serverA.port(), blockId).get(60, TimeUnit.SECONDS);
  }

  /** Decodes every record of a fetched segment, as a reduce task does with a remote one. */
  private long decode(ByteBuffer block, Blackhole blackhole) throws IOException {
    long records = 0;
    try (SegmentReader reader = SegmentReader.open(SegmentSource.of(block), Records.ENCODER, allocator,
        Records.POLICY)) {
      while (reader.hasNext()) {
        Object record = reader.next();
        if (blackhole != null) {
          blackhole.consume(record);
        }
        records++;
      }
    }
    return records;
  }

  @Benchmark
  public BlockData fetch(Throughput counters) throws Exception {
    BlockData block = fetchBlock();
    counters.add(block.length(), block.length());
    return block;
  }

  @Benchmark
  public long fetchAndDecode(Throughput counters, Blackhole blackhole) throws Exception {
    HeapBlock block = (HeapBlock) fetchBlock();
    long records = decode(ByteBuffer.wrap(block.bytes(), 0, block.size()), blackhole);
    counters.add(payload, block.length());
    return records;
  }
}
