package io.dflow.executor.net;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One authenticated connection, seen from either end. Thread-safe: any thread may send or
 * close.
 */
public final class Connection {
  private static final AttributeKey<Connection> KEY = AttributeKey.valueOf(Connection.class, "connection");

  private final Channel channel;
  private final int maxControlBytes;

  private Connection(Channel channel, int maxControlBytes) {
    this.channel = channel;
    this.maxControlBytes = maxControlBytes;
  }

  /** Creates the connection object of a channel (once, when its pipeline is set up). */
  static Connection attach(Channel channel, TransportConf conf) {
    Connection c = new Connection(channel, conf.maxControlBytes());
    if (!channel.attr(KEY).compareAndSet(null, c)) {
      throw new IllegalStateException("channel already has a connection: " + channel);
    }
    return c;
  }

  /** The connection object of a channel set up by {@link #attach}. */
  static Connection of(Channel channel) {
    Connection c = channel.attr(KEY).get();
    if (c == null) {
      throw new IllegalStateException("no connection attached to " + channel);
    }
    return c;
  }

  /**
   * Sends a control message. The array must not be changed afterwards until the returned
   * future completes.
   *
   * @param controlBody the message, serialised by the caller
   * @return completes when the message is written to the socket, or exceptionally if the
   *     connection is closed or the write fails
   * @throws IllegalArgumentException if the body does not fit in one frame
   */
  public CompletableFuture<Void> send(byte[] controlBody) {
    if (controlBody.length > maxControlBytes) {
      throw new IllegalArgumentException("control message of " + controlBody.length
          + " bytes exceeds the limit of " + maxControlBytes + " bytes (maxFrameBytes)");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel.writeAndFlush(new Message.Control(controlBody)).addListener(f -> {
      if (f.isSuccess()) {
        done.complete(null);
      } else {
        done.completeExceptionally(new IOException("send to " + remoteAddress() + " failed", f.cause()));
      }
    });
    return done;
  }

  /** The address of the other end. */
  public SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  /** Whether the connection is still open. */
  public boolean isOpen() {
    return channel.isActive();
  }

  /** Closes the connection; does not wait. Closing twice is harmless. */
  public void close() {
    channel.close();
  }

  /** A future that completes when the connection has closed. */
  public CompletableFuture<Void> closeFuture() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    channel.closeFuture().addListener(f -> closed.complete(null));
    return closed;
  }

  Channel channel() {
    return channel;
  }

  @Override
  public String toString() {
    return "Connection[" + remoteAddress() + "]";
  }
}
