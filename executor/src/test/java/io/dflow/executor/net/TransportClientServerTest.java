package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real loopback sockets: control messages both ways, and fetches of blocks held in files
 * (sent as file regions) and in memory (sent from the array), across many fetch chunks.
 */
@ExtendWith(LeakTracker.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TransportClientServerTest {
  private static final TransportConf CONF = NetTestSupport.conf();
  private static final int CHUNK = CONF.fetchChunkBytes();
  /** Blocks live in one file: block i is the region [OFFSETS[i], OFFSETS[i] + LENGTHS[i]). */
  private static final int BLOCKS = 16;

  @TempDir
  Path dir;
  private Path file;
  private byte[] fileBytes;
  private final long[] offsets = new long[BLOCKS];
  private final long[] lengths = new long[BLOCKS];
  /** A block in memory: the first {@code HEAP_SIZE} bytes of a larger array, as a cached partition's buffer is. */
  private byte[] heapArray;
  private static final int HEAP_SIZE = 5 * CHUNK + 77;

  private final BlockingQueue<String> serverReceived = new LinkedBlockingQueue<>();
  private final AtomicReference<Connection> lastServerConnection = new AtomicReference<>();
  private TransportServer server;

  @BeforeEach
  void start() throws IOException {
    Random random = new Random(42);
    long position = 3;  // not at the start of the file, so the region offset matters
    for (int i = 0; i < BLOCKS; i++) {
      offsets[i] = position;
      lengths[i] = i == 0 ? 7 * CHUNK + 123 : random.nextInt(3 * CHUNK);
      position += lengths[i];
    }
    fileBytes = new byte[(int) position + 5];
    random.nextBytes(fileBytes);
    file = Files.write(dir.resolve("map-output.data"), fileBytes);
    heapArray = new byte[HEAP_SIZE + 1000];
    random.nextBytes(heapArray);

    MessageHandler echo = (from, body) -> {
      String text = new String(body, StandardCharsets.UTF_8);
      lastServerConnection.set(from);
      serverReceived.add(text);
      from.send(("echo:" + text).getBytes(StandardCharsets.UTF_8));
    };
    BlockResolver resolver = blockId -> {
      if (blockId.equals("truncated")) {
        return new BlockRegion(file, fileBytes.length - 10, 100);
      }
      if (blockId.equals("heap")) {
        return new HeapBlock(heapArray, HEAP_SIZE);
      }
      if (blockId.equals("heap-empty")) {
        return new HeapBlock(heapArray, 0);
      }
      if (!blockId.startsWith("block-")) {
        throw new IOException("unknown block " + blockId);
      }
      int i = Integer.parseInt(blockId.substring("block-".length()));
      return new BlockRegion(file, offsets[i], lengths[i]);
    };
    server = TransportServer.start("127.0.0.1", 0, CONF, echo, resolver);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private byte[] expected(int block) {
    return Arrays.copyOfRange(fileBytes, (int) offsets[block], (int) (offsets[block] + lengths[block]));
  }

  private static IOException failure(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(IOException.class, e.getCause());
  }

  private static final class QueueHandler implements MessageHandler {
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @Override
    public void onControl(Connection from, byte[] body) {
      received.add(new String(body, StandardCharsets.UTF_8));
    }
  }

  @Test
  void controlMessagesGoBothWays() throws Exception {
    QueueHandler clientHandler = new QueueHandler();
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(), CONF, clientHandler)) {
      for (int i = 0; i < 100; i++) {
        client.send(("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      for (int i = 0; i < 100; i++) {
        assertEquals("m" + i, serverReceived.poll(5, TimeUnit.SECONDS));
        assertEquals("echo:m" + i, clientHandler.received.poll(5, TimeUnit.SECONDS));
      }
      // the server may also speak first, on a connection it was handed earlier
      lastServerConnection.get().send("from the server".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
      assertEquals("from the server", clientHandler.received.poll(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void fetchOfABlockOfManyChunksReturnsTheSameBytes() throws Exception {
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(), CONF, new QueueHandler())) {
      assertTrue(lengths[0] > 7L * CHUNK && lengths[0] > CONF.maxFrameBytes());
      assertArrayEquals(expected(0), client.fetch("block-0").get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aBlockHeldInMemoryFetchesWholeAcrossChunksAndNoFurtherThanItsSize() throws Exception {
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(), CONF, new QueueHandler())) {
      assertTrue(HEAP_SIZE > 5 * CHUNK && HEAP_SIZE > CONF.maxFrameBytes());
      byte[] fetched = client.fetch("heap").get(10, TimeUnit.SECONDS);
      assertArrayEquals(Arrays.copyOf(heapArray, HEAP_SIZE), fetched);
      assertArrayEquals(new byte[0], client.fetch("heap-empty").get(10, TimeUnit.SECONDS));
      // file and heap blocks interleave on one connection
      List<CompletableFuture<byte[]>> fetches = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        fetches.add(client.fetch(i % 2 == 0 ? "heap" : "block-0"));
      }
      for (int i = 0; i < 6; i++) {
        assertArrayEquals(i % 2 == 0 ? fetched : expected(0), fetches.get(i).get(10, TimeUnit.SECONDS), "fetch " + i);
      }
    }
  }

  @Test
  void emptyBlockFetchesAsAnEmptyArray() throws Exception {
    lengths[5] = 0;
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(), CONF, new QueueHandler())) {
      assertArrayEquals(new byte[0], client.fetch("block-5").get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void unknownBlockFailsWithTheServersMessage() throws Exception {
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(), CONF, new QueueHandler())) {
      IOException e = failure(client.fetch("nope"));
      assertTrue(e.getMessage().contains("unknown block nope"), e.getMessage());
      // the connection is still good afterwards
      assertArrayEquals(expected(1), client.fetch("block-1").get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void blockBeyondTheEndOfItsFileFailsCleanly() throws Exception {
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(), CONF, new QueueHandler())) {
      IOException e = failure(client.fetch("truncated"));
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
      assertTrue(client.connection().isOpen());
    }
  }

  @Test
  void manyConcurrentFetchesOverSeveralConnections() throws Exception {
    List<TransportClient> clients = new ArrayList<>();
    try {
      for (int c = 0; c < 4; c++) {
        clients.add(TransportClient.connect("127.0.0.1", server.port(), CONF, new QueueHandler()));
      }
      List<CompletableFuture<byte[]>> fetches = new ArrayList<>();
      List<Integer> blocks = new ArrayList<>();
      for (int round = 0; round < 8; round++) {
        for (int b = 0; b < BLOCKS; b++) {
          fetches.add(clients.get((round + b) % clients.size()).fetch("block-" + b));
          blocks.add(b);
        }
      }
      for (int i = 0; i < fetches.size(); i++) {
        assertArrayEquals(expected(blocks.get(i)), fetches.get(i).get(10, TimeUnit.SECONDS), "fetch " + i);
      }
    } finally {
      clients.forEach(TransportClient::close);
    }
  }

  @Test
  void fetchFailsWhenTheConnectionIsLost() throws Exception {
    try (ServerSocket fake = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread peer = new Thread(() -> {
        try (Socket socket = fake.accept()) {
          NetTestSupport.rawServerHandshake(socket, NetTestSupport.SECRET);
          NetTestSupport.readFully(socket, 4);  // the start of the fetch request, then hang up
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      });
      peer.start();
      try (TransportClient client = TransportClient.connect("127.0.0.1", fake.getLocalPort(), CONF, new QueueHandler())) {
        IOException e = failure(client.fetch("block-0"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
      }
      peer.join(5_000);
    }
  }

  @Test
  void fetchAfterCloseFails() throws Exception {
    TransportClient client = TransportClient.connect("127.0.0.1", server.port(), CONF, new QueueHandler());
    client.close();
    assertTrue(failure(client.fetch("block-1")).getMessage().contains("closed"));
  }

  @Test
  void serverCloseClosesItsConnections() throws Exception {
    NetTestSupport.RecordingHandler clientHandler = new NetTestSupport.RecordingHandler();
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(), CONF, clientHandler)) {
      server.close();
      client.connection().closeFuture().get(5, TimeUnit.SECONDS);
      // onClose runs on the event loop just after the close future completes.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (clientHandler.closed.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(1, clientHandler.closed.size());
    }
  }
}
