package io.dflow.executor.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An authenticated connection to a {@link TransportServer}: sends control messages, receives
 * the server's through a {@link MessageHandler}, and fetches blocks. Thread-safe.
 *
 * <pre>{@code
 * try (TransportClient client = TransportClient.connect(host, port, conf, handler)) {
 *   client.send(request);
 *   byte[] block = client.fetch("shuffle_1_0_3_7").get();
 * }
 * }</pre>
 */
public final class TransportClient implements AutoCloseable {
  private static final long CLOSE_WAIT_MILLIS = 5_000;
  /**
   * Largest buffer one socket read fills (Netty's default stops at 64 KiB). A client mostly
   * receives block data, megabytes at a time: bigger reads mean fewer system calls and fewer
   * trips through the pipeline per byte. The buffer grows to this only while reads fill it.
   */
  static final int MAX_READ_BYTES = 1 << 20;

  private final Connection connection;
  private final FetchResponseHandler fetches;
  private final ClassResponseHandler classes;

  private TransportClient(Connection connection, FetchResponseHandler fetches, ClassResponseHandler classes) {
    this.connection = connection;
    this.fetches = fetches;
    this.classes = classes;
  }

  /**
   * Connects and authenticates; blocks until both are done. Must not be called on a transport
   * I/O thread.
   *
   * @param host the server's host name or address
   * @param port the server's port
   * @param conf the secret (must match the server's), frame limit, chunk size and timeouts
   * @param handler receives the server's control messages; called on an I/O thread, must not block
   * @return the authenticated client
   * @throws IOException saying why: unknown host, refused, timed out (connect or handshake
   *     each take at most {@code handshakeTimeoutMillis}), or authentication failed
   */
  public static TransportClient connect(String host, int port, TransportConf conf, MessageHandler handler)
      throws IOException {
    EventLoops.checkNotOnEventLoop("TransportClient.connect");
    String where = host + ":" + port;
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IOException("cannot connect to " + where + ": unknown host");
    }
    CompletableFuture<Void> authenticated = new CompletableFuture<>();
    Bootstrap bootstrap = new Bootstrap()
        .group(EventLoops.shared())
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, conf.handshakeTimeoutMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ_BYTES))
        .handler(new ClientChannelInitializer(conf, handler, authenticated));
    ChannelFuture connected = bootstrap.connect(address);
    connected.addListener(f -> {
      if (!f.isSuccess()) {
        authenticated.completeExceptionally(f.cause());
      }
    });
    Channel channel = connected.channel();
    try {
      authenticated.get(2 * conf.handshakeTimeoutMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      channel.close();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while connecting to " + where);
    } catch (ExecutionException e) {
      channel.close();
      Throwable cause = e.getCause();
      throw new IOException("cannot connect to " + where + ": " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      channel.close();
      throw new IOException("cannot connect to " + where + ": timed out");
    }
    return new TransportClient(Connection.of(channel), channel.pipeline().get(FetchResponseHandler.class),
        channel.pipeline().get(ClassResponseHandler.class));
  }

  /**
   * Sends a control message; see {@link Connection#send}.
   *
   * @param controlBody the message, serialised by the caller; not to be changed until sent
   * @return completes when written, or exceptionally if the connection is gone
   * @throws IllegalArgumentException if it does not fit in one frame
   */
  public CompletableFuture<Void> send(byte[] controlBody) {
    return connection.send(controlBody);
  }

  /**
   * Fetches a whole block, in chunks of {@code fetchChunkBytes}, so a block may be bigger than
   * a frame (up to about 2 GiB, one array). Any number of fetches may run at once.
   *
   * @param blockId the block, as the server's {@link BlockResolver} knows it
   * @return the block's bytes; or completes exceptionally with an {@link IOException} carrying
   *     the server's message (unknown block, unreadable file) or saying the connection was lost
   */
  public CompletableFuture<byte[]> fetch(String blockId) {
    return fetches.fetch(blockId);
  }

  /**
   * Fetches a whole block into {@code file} (created anew), in chunks of {@code fetchChunkBytes}
   * written as they arrive, so the block is never held on the heap and may be of any size.
   *
   * @return the file's region holding the block; or completes exceptionally with an
   *     {@link IOException} (and no file left) as {@link #fetch} does
   */
  public CompletableFuture<BlockData> fetchToFile(String blockId, java.nio.file.Path file) {
    return fetches.fetch(blockId, file);
  }

  /**
   * Fetches a class the server serves by name (see {@link ClassResolver}).
   *
   * @param binaryName the class's binary name
   * @return the class file and its attachment; or completes exceptionally with a
   *     {@link ClassNotServedException} when the server does not serve it, or an
   *     {@link IOException} when the connection was lost
   */
  public CompletableFuture<ServedClass> fetchClass(String binaryName) {
    return classes.fetch(binaryName);
  }

  /** The underlying connection (remote address, state, sends). */
  public Connection connection() {
    return connection;
  }

  /** Closes the connection; pending fetches fail. Waits briefly unless called on an I/O thread. */
  @Override
  public void close() {
    Channel channel = connection.channel();
    ChannelFuture closed = channel.close();
    if (!EventLoops.onEventLoop()) {
      closed.awaitUninterruptibly(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public String toString() {
    return "TransportClient[" + connection.remoteAddress() + "]";
  }
}
