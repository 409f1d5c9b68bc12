package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's fetch bookkeeping behind its frame decoder, through EmbeddedChannel, with the
 * server's side played by hand: the next chunk asked for as soon as a response's header is in,
 * a block assembled from chunks whose data arrives in pieces, and the responses a correct server
 * never sends (more bytes than remain, a block length that changes), which fail that fetch with
 * the reason, leave no file behind, and leave the connection usable.
 */
@ExtendWith(LeakTracker.class)
class FetchResponseHandlerTest {
  private static final int CHUNK = 1000;

  @TempDir
  Path dir;

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final FetchResponseHandler fetches = new FetchResponseHandler(channel, CHUNK);

  FetchResponseHandlerTest() {
    channel.pipeline().addLast(new ClientFrameDecoder(64 * 1024), fetches);
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** The request the handler sent last; none other may be waiting. */
  private Message.FetchRequest request() {
    channel.runPendingTasks();
    Message.FetchRequest request = assertInstanceOf(Message.FetchRequest.class, channel.readOutbound());
    assertNull(channel.readOutbound(), "one request at a time here");
    return request;
  }

  /** Sends the response frame in pieces of {@code piece} bytes, as reads of the socket would bring it. */
  private void respond(long requestId, long blockLength, byte[] data, int piece) {
    ByteBuf frame = MessageEncoder.encode(ByteBufAllocator.DEFAULT, new Message.FetchResponse(requestId, blockLength, data));
    try {
      while (frame.isReadable()) {
        ByteBuf read = ByteBufAllocator.DEFAULT.directBuffer();
        read.writeBytes(frame, Math.min(piece, frame.readableBytes()));
        channel.writeInbound(read);
      }
    } finally {
      frame.release();
    }
  }

  private static String failure(CompletableFuture<?> fetch) {
    assertTrue(fetch.isCompletedExceptionally(), "the fetch failed");
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, fetch::get);
    return e.getCause().getMessage();
  }

  @Test
  void theNextChunkIsAskedForWhenAHeaderArrivesAndTheBlockComesOutWhole() throws Exception {
    byte[] block = bytes(2 * CHUNK + 345, 1);
    CompletableFuture<byte[]> fetch = fetches.fetch("b");
    Message.FetchRequest first = request();
    assertEquals(0, first.offset());
    assertEquals("b", first.blockId());

    ByteBuf frame = MessageEncoder.encode(ByteBufAllocator.DEFAULT,
        new Message.FetchResponse(first.requestId(), block.length, Arrays.copyOfRange(block, 0, CHUNK)));
    channel.writeInbound(frame.readRetainedSlice(Wire.FETCH_RESPONSE_HEADER_BYTES)); // the header alone
    Message.FetchRequest second = request();
    assertEquals(CHUNK, second.offset(), "asked for before the first chunk's data is in");
    channel.writeInbound(frame); // its data
    assertFalse(fetch.isDone());

    respond(second.requestId(), block.length, Arrays.copyOfRange(block, CHUNK, 2 * CHUNK), 7);
    Message.FetchRequest third = request();
    assertEquals(2 * CHUNK, third.offset());
    respond(third.requestId(), block.length, Arrays.copyOfRange(block, 2 * CHUNK, block.length), 100);
    assertArrayEquals(block, fetch.get());
    channel.runPendingTasks();
    assertNull(channel.readOutbound(), "nothing asked for past the block's end");
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void moreBytesThanRemainFailTheFetchAndTheConnectionGoesOn() throws Exception {
    CompletableFuture<byte[]> bad = fetches.fetch("b");
    respond(request().requestId(), 100, bytes(150, 2), 64);
    assertTrue(failure(bad).contains("server sent 150 bytes but only 100 remain"), failure(bad));

    byte[] block = bytes(10, 3);
    CompletableFuture<byte[]> good = fetches.fetch("c");
    respond(request().requestId(), block.length, block, 3);
    assertArrayEquals(block, good.get());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void aBlockWhoseLengthChangesFails() throws Exception {
    byte[] block = bytes(3 * CHUNK, 4);
    CompletableFuture<byte[]> fetch = fetches.fetch("b");
    respond(request().requestId(), block.length, Arrays.copyOf(block, CHUNK), 500);
    respond(request().requestId(), block.length + 1, Arrays.copyOfRange(block, CHUNK, 2 * CHUNK), 500);
    assertTrue(failure(fetch).contains("block length changed from 3000 to 3001"), failure(fetch));
    channel.runPendingTasks();
    assertNull(channel.readOutbound(), "nothing more asked for a failed fetch");
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void aFetchGivenUpDropsTheChunkAskedForAheadAndTheConnectionGoesOn() throws Exception {
    byte[] block = bytes(2 * CHUNK, 7);
    CompletableFuture<BlockData> fetch = fetches.fetch("b", null);
    respond(request().requestId(), block.length, Arrays.copyOf(block, CHUNK), 250);
    Message.FetchRequest ahead = request();
    assertTrue(fetch.cancel(false));
    respond(ahead.requestId(), block.length, Arrays.copyOfRange(block, CHUNK, 2 * CHUNK), 250); // dropped, released
    channel.runPendingTasks();
    assertNull(channel.readOutbound(), "nothing more asked for a fetch given up");

    CompletableFuture<byte[]> next = fetches.fetch("c");
    byte[] small = bytes(5, 5);
    respond(request().requestId(), small.length, small, 2);
    assertArrayEquals(small, next.get());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void aFileFetchWritesEachChunkAndAFailedOneLeavesNoFile() throws Exception {
    byte[] block = bytes(CHUNK + 17, 6);
    Path file = dir.resolve("block.data");
    CompletableFuture<BlockData> fetch = fetches.fetch("b", file);
    Message.FetchRequest first = request();
    respond(first.requestId(), block.length, Arrays.copyOf(block, CHUNK), 333);
    respond(request().requestId(), block.length, Arrays.copyOfRange(block, CHUNK, block.length), 5);
    BlockRegion region = assertInstanceOf(BlockRegion.class, fetch.get());
    assertEquals(file, region.file());
    assertEquals(block.length, region.length());
    assertArrayEquals(block, Files.readAllBytes(file));

    Path other = dir.resolve("other.data");
    CompletableFuture<BlockData> bad = fetches.fetch("c", other);
    respond(request().requestId(), 2 * CHUNK, Arrays.copyOf(block, CHUNK), 400);
    respond(request().requestId(), 2 * CHUNK + 5, Arrays.copyOf(block, CHUNK), 400);
    assertTrue(failure(bad).contains("block length changed"), failure(bad));
    assertFalse(Files.exists(other), "the failed fetch's file is deleted");
    assertFalse(channel.finishAndReleaseAll());
  }
}
