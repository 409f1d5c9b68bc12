package io.dflow.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.arrow.Allocators;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportServer;
import io.dflow.executor.protocol.MapOutputLocation;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Fetching blocks from another executor's store over a real loopback connection. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NetworkFetcherTest {
  private static final byte[] SECRET = "the run's secret, 32 bytes long!".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER = "another run's secret, also long!".getBytes(StandardCharsets.US_ASCII);
  private static final Encoder<?> ENCODER = Encoders.pairs(Encoders.strings(), Encoders.longs());
  /** Small chunks, so a block takes many fetch responses. */
  private static final TransportConf CONF = new TransportConf(SECRET, 64 << 10, 16 << 10, 5_000);
  private static final MessageHandler NO_CONTROL = (from, body) -> { };

  @TempDir
  Path tmp;
  private ShuffleStore storeA;
  private TransportServer serverA;
  private BufferAllocator allocator;
  private List<Object> records;

  @BeforeEach
  void startExecutorA() throws IOException {
    storeA = new ShuffleStore(tmp.resolve("a"));
    serverA = TransportServer.start("127.0.0.1", 0, CONF, NO_CONTROL, storeA::resolve);
    allocator = Allocators.forTask("NetworkFetcherTest", 64 << 20);
    records = new ArrayList<>();
    for (long i = 0; i < 20_000; i++) {
      records.add(Pair.of("record-" + i, i));
    }
    storeA.writeMapOutput(0, 1, 2, ENCODER, List.of(List.of(Pair.of("x", 1L)), records), allocator);
  }

  @AfterEach
  void stop() {
    serverA.close();
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  private MapOutputLocation a() {
    return new MapOutputLocation(2, "a", "127.0.0.1", serverA.port());
  }

  private static IOException failure(CompletableFuture<byte[]> fetch) throws InterruptedException {
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
    try (NetworkFetcher b = new NetworkFetcher("b", new ShuffleStore(tmp.resolve("b")), CONF)) {
      String id = BlockIds.shuffle(0, 1, 2, 1);
      byte[] remote = b.fetch(a(), id).get(20, TimeUnit.SECONDS);
      assertTrue(remote.length > 4 * CONF.fetchChunkBytes(), "spans several chunks: " + remote.length);
      assertArrayEquals(storeA.read(id), remote);
      assertEquals(records, ShuffleFixtures.decode(remote, ENCODER, allocator));
      // the connection is kept and reused
      assertArrayEquals(storeA.read(BlockIds.shuffle(0, 1, 2, 0)),
          b.fetch(a(), BlockIds.shuffle(0, 1, 2, 0)).get(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void theServingStoresErrorReachesTheFetcher() throws Exception {
    try (NetworkFetcher b = new NetworkFetcher("b", new ShuffleStore(tmp.resolve("b")), CONF)) {
      IOException e = failure(b.fetch(a(), BlockIds.shuffle(0, 1, 7, 0)));
      assertTrue(e.getMessage().contains("no map output shuffle_0_1_7 on this executor"), e.getMessage());
      e = failure(b.fetch(a(), "../../etc/passwd"));
      assertTrue(e.getMessage().contains("not a shuffle block id"), e.getMessage());
    }
  }

  @Test
  void aFetcherWithAnotherSecretIsRefused() throws Exception {
    TransportConf wrong = new TransportConf(OTHER, 64 << 10, 16 << 10, 5_000);
    try (NetworkFetcher b = new NetworkFetcher("b", new ShuffleStore(tmp.resolve("b")), wrong)) {
      IOException e = failure(b.fetch(a(), BlockIds.shuffle(0, 1, 2, 1)));
      assertTrue(e.getMessage().startsWith("cannot reach executor a at 127.0.0.1:" + serverA.port()), e.getMessage());
    }
  }

  @Test
  void anUnreachableExecutorIsNamed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (NetworkFetcher b = new NetworkFetcher("b", new ShuffleStore(tmp.resolve("b")), CONF)) {
      IOException e = failure(b.fetch(new MapOutputLocation(0, "gone", "127.0.0.1", closedPort), "shuffle_0_1_0_0"));
      assertTrue(e.getMessage().startsWith("cannot reach executor gone at 127.0.0.1:" + closedPort), e.getMessage());
    }
  }

  @Test
  void ownBlocksAreReadLocallyEvenWithATransport() throws Exception {
    try (NetworkFetcher self = new NetworkFetcher("a", storeA, CONF)) {
      MapOutputLocation nowhere = new MapOutputLocation(2, "a", "192.0.2.1", 1); // never dialled
      assertArrayEquals(storeA.read(BlockIds.shuffle(0, 1, 2, 1)),
          self.fetch(nowhere, BlockIds.shuffle(0, 1, 2, 1)).get(5, TimeUnit.SECONDS));
    }
  }
}
