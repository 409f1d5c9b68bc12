package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.api.StorageLevel;
import io.dflow.arrow.Allocators;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportServer;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.storage.BlockStore;
import io.dflow.executor.storage.PartitionBuffer;
import io.dflow.planner.ShuffleId;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching blocks from another executor's stores over a real loopback connection: map output
 * segments (file regions) and cached partitions (in memory, or on disk), each many fetch chunks long.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NetworkFetcherTest {
  private static final byte[] SECRET = "the run's secret, 32 bytes long!".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER = "another run's secret, also long!".getBytes(StandardCharsets.US_ASCII);
  private static final Encoder<?> ENCODER = Encoders.pairs(Encoders.strings(), Encoders.longs());
  /** Small chunks, so a block takes many fetch responses. */
  private static final TransportConf CONF = new TransportConf(SECRET, 64 << 10, 16 << 10, 5_000);
  private static final MessageHandler NO_CONTROL = (from, body) -> { };
  private static final ShuffleId SHUFFLE = new ShuffleId(0, 1);
  private static final ExecutorId A = new ExecutorId("a");
  private static final ExecutorId B = new ExecutorId("b");

  @TempDir
  Path tmp;
  private ShuffleStore storeA;
  private BlockStore blocksA;
  private TransportServer serverA;
  private BufferAllocator allocator;
  private List<Object> records;

  @BeforeEach
  void startExecutorA() throws IOException {
    storeA = new ShuffleStore(tmp.resolve("a"));
    blocksA = new BlockStore(tmp.resolve("a-blocks"), 8 << 20);
    // as an executor serves them: shuffle segments from the shuffle store, the rest from the block store
    serverA = TransportServer.start("127.0.0.1", 0, CONF, NO_CONTROL,
        id -> BlockIds.isShuffle(id) ? storeA.resolve(id) : blocksA.resolve(id));
    allocator = Allocators.forTask("NetworkFetcherTest", 64 << 20);
    records = new ArrayList<>();
    for (long i = 0; i < 20_000; i++) {
      records.add(Pair.of("record-" + i, i));
    }
    ShuffleFixtures.write(storeA, SHUFFLE, 2, 42, ENCODER, List.of(List.of(Pair.of("x", 1L)), records), allocator);
  }

  @AfterEach
  void stop() {
    serverA.close();
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  private CompletableFuture<byte[]> fetchFromA(NetworkFetcher fetcher, String blockId) {
    return fetcher.fetch(A, "127.0.0.1", serverA.port(), blockId).thenApply(ShuffleFixtures::bytes);
  }

  private NetworkFetcher fetcherB(TransportConf conf) throws IOException {
    ShuffleStore own = new ShuffleStore(tmp.resolve("b"));
    return new NetworkFetcher(B, own::resolve, conf);
  }

  private static IOException failure(CompletableFuture<?> fetch) throws InterruptedException {
    try {
      fetch.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(IOException.class, e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("fetch neither succeeded nor failed", e);
    }
    throw new AssertionError("fetch succeeded");
  }

  @Test
  void fetchesAnotherExecutorsBlockOverTheNetwork() throws Exception {
    try (NetworkFetcher b = fetcherB(CONF)) {
      String id = BlockIds.shuffle(SHUFFLE, 2, 42, 1);
      byte[] remote = fetchFromA(b, id).get(20, TimeUnit.SECONDS);
      assertTrue(remote.length > 4 * CONF.fetchChunkBytes(), "spans several chunks: " + remote.length);
      assertArrayEquals(storeA.read(id), remote);
      assertEquals(records, ShuffleFixtures.decode(remote, ENCODER, allocator));
      // the connection is kept and reused
      assertArrayEquals(storeA.read(BlockIds.shuffle(SHUFFLE, 2, 42, 0)),
          fetchFromA(b, BlockIds.shuffle(SHUFFLE, 2, 42, 0)).get(20, TimeUnit.SECONDS));
    }
  }

  /** Values larger than a fetch chunk and than a frame, fetched and decoded as a reduce task reads them. */
  @Test
  void valuesLargerThanAFetchChunkAndAFrameCrossWhole() throws Exception {
    Encoder<?> bytes = Encoders.pairs(Encoders.strings(), Encoders.bytes());
    Random random = new Random(3);
    List<Object> big = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] value = new byte[(i + 1) * CONF.maxFrameBytes()]; // up to 5 frames, 20 chunks, incompressible
      random.nextBytes(value);
      big.add(Pair.of("big-" + i, value));
    }
    ShuffleId shuffle = new ShuffleId(0, 9);
    ShuffleFixtures.write(storeA, shuffle, 0, 7, bytes, List.of(big), allocator);
    List<MapOutputLocation> maps = List.of(new MapOutputLocation(0, 7, A, "127.0.0.1", serverA.port()));
    List<Object> got = new ArrayList<>();
    try (NetworkFetcher b = fetcherB(CONF);
        ShuffleReader reader = new ShuffleReader(shuffle, 0, maps, b, ShuffleFixtures.opener(bytes, allocator),
            1 << 10, n -> { })) {
      reader.forEachRemaining(got::add);
    }
    assertEquals(big.size(), got.size());
    for (int i = 0; i < big.size(); i++) {
      Pair<?, ?> want = (Pair<?, ?>) big.get(i);
      Pair<?, ?> have = (Pair<?, ?>) got.get(i);
      assertEquals(want.key(), have.key());
      assertArrayEquals((byte[]) want.value(), (byte[]) have.value());
    }
  }

  /**
   * With a fetch-to-memory bound of 1 KiB, the 20,000-record segment is written to a file as its
   * chunks arrive and read from there (the whole segment is on disk while it is read), the
   * one-record segment stays on the heap, and the file is gone once the reader closes.
   */
  @Test
  void aSegmentOverTheFetchToMemoryBoundIsFetchedToAFileAndDeletedOnceRead() throws Exception {
    long[] lengths = {storeA.read(BlockIds.shuffle(SHUFFLE, 2, 42, 0)).length,
        storeA.read(BlockIds.shuffle(SHUFFLE, 2, 42, 1)).length};
    assertTrue(lengths[0] < 1024 && lengths[1] > 4 * CONF.fetchChunkBytes(), java.util.Arrays.toString(lengths));
    List<MapOutputLocation> maps = List.of(new MapOutputLocation(2, 42, A, "127.0.0.1", serverA.port(), lengths));
    Path downloads = java.nio.file.Files.createDirectories(tmp.resolve("downloads"));
    List<Path> made = new ArrayList<>();
    java.util.function.Supplier<Path> files = () -> {
      Path file = downloads.resolve("segment-" + made.size());
      made.add(file);
      return file;
    };
    try (NetworkFetcher b = fetcherB(CONF)) {
      for (int p = 0; p < 2; p++) {
        List<Object> got = new ArrayList<>();
        try (ShuffleReader reader = new ShuffleReader(SHUFFLE, p, maps, b, ShuffleFixtures.opener(ENCODER, allocator),
            1 << 20, n -> { }, 1024, files)) {
          got.add(reader.next());
          assertEquals(p, made.size(), "only the big segment goes to a file");
          if (p == 1) {
            assertEquals(lengths[1], java.nio.file.Files.size(made.get(0)), "the whole segment is on disk");
          }
          reader.forEachRemaining(got::add);
        }
        assertEquals(p == 0 ? List.of(Pair.of("x", 1L)) : records, got);
        try (var left = java.nio.file.Files.list(downloads)) {
          assertEquals(List.of(), left.toList(), "fetched segments deleted once read");
        }
      }
      // a fetch to a file that fails leaves no file
      Path missing = downloads.resolve("missing");
      IOException e = failure(b.fetchToFile(A, "127.0.0.1", serverA.port(), BlockIds.shuffle(SHUFFLE, 7, 42, 0),
          missing));
      assertTrue(e.getMessage().contains("shuffle"), e.getMessage());
      assertTrue(!java.nio.file.Files.exists(missing), "the failed fetch's file is deleted");
    }
  }

  @Test
  void theServingStoresErrorReachesTheFetcher() throws Exception {
    try (NetworkFetcher b = fetcherB(CONF)) {
      IOException e = failure(fetchFromA(b, BlockIds.shuffle(SHUFFLE, 7, 42, 0)));
      assertTrue(e.getMessage().contains("no map output shuffle_0_1_7_42 on this executor"), e.getMessage());
      e = failure(fetchFromA(b, BlockIds.shuffle(SHUFFLE, 2, 43, 0)));
      assertTrue(e.getMessage().contains("no map output shuffle_0_1_2_43 on this executor"), e.getMessage());
      e = failure(fetchFromA(b, "shuffle_../../etc/passwd"));
      assertTrue(e.getMessage().contains("not a shuffle block id"), e.getMessage());
      e = failure(fetchFromA(b, "../../etc/passwd"));
      assertTrue(e.getMessage().contains("not a cached block id"), e.getMessage());
      e = failure(fetchFromA(b, BlockStore.blockId(3, 0)));
      assertTrue(e.getMessage().contains("no cached block rdd_3_0 on this executor"), e.getMessage());
    }
  }

  @Test
  void aFetcherWithAnotherSecretIsRefused() throws Exception {
    TransportConf wrong = new TransportConf(OTHER, 64 << 10, 16 << 10, 5_000);
    try (NetworkFetcher b = fetcherB(wrong)) {
      IOException e = failure(fetchFromA(b, BlockIds.shuffle(SHUFFLE, 2, 42, 1)));
      assertTrue(e.getMessage().startsWith("cannot reach executor a at 127.0.0.1:" + serverA.port()), e.getMessage());
    }
  }

  @Test
  void anUnreachableExecutorIsNamed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (NetworkFetcher b = fetcherB(CONF)) {
      IOException e = failure(b.fetch(new ExecutorId("gone"), "127.0.0.1", closedPort, "shuffle_0_1_0_0_0"));
      assertTrue(e.getMessage().startsWith("cannot reach executor gone at 127.0.0.1:" + closedPort), e.getMessage());
    }
  }

  @Test
  void ownBlocksAreReadLocallyEvenWithATransport() throws Exception {
    try (NetworkFetcher self = new NetworkFetcher(A, storeA::resolve, CONF)) {
      // 192.0.2.1 is never dialled
      assertArrayEquals(storeA.read(BlockIds.shuffle(SHUFFLE, 2, 42, 1)),
          ShuffleFixtures.bytes(self.fetch(A, "192.0.2.1", 1, BlockIds.shuffle(SHUFFLE, 2, 42, 1)).get(5, TimeUnit.SECONDS)));
      IOException e = failure(self.fetch(A, "192.0.2.1", 1, BlockIds.shuffle(SHUFFLE, 2, 9, 1)));
      assertTrue(e.getMessage().contains("no map output shuffle_0_1_2_9 on this executor"), e.getMessage());
    }
  }

  @Test
  void cachedPartitionsInMemoryAndOnDiskAreFetchedWhole() throws Exception {
    PartitionBuffer inMemory = PartitionBuffer.write(records.iterator(), ENCODER, allocator, 8 << 20,
        () -> tmp.resolve("unused"));
    PartitionBuffer onDisk = PartitionBuffer.write(records.iterator(), ENCODER, allocator, 0,
        () -> tmp.resolve("spilled"));
    assertTrue(inMemory.inMemory() && !onDisk.inMemory());
    assertTrue(inMemory.bytes() > 4L * CONF.fetchChunkBytes(), "spans several chunks: " + inMemory.bytes());
    assertEquals(1, blocksA.put(3, 0, inMemory, StorageLevel.MEMORY).size());
    assertEquals(1, blocksA.put(3, 1, onDisk, StorageLevel.DISK).size());

    try (NetworkFetcher b = fetcherB(CONF)) {
      for (int p = 0; p < 2; p++) {
        byte[] remote = fetchFromA(b, BlockStore.blockId(3, p)).get(20, TimeUnit.SECONDS);
        assertArrayEquals(blocksA.resolve(BlockStore.blockId(3, p)).readAll(), remote);
        assertEquals(records, ShuffleFixtures.decode(remote, ENCODER, allocator), "partition " + p);
      }
    }
  }
}
