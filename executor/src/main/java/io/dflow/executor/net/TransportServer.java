package io.dflow.executor.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Accepts authenticated connections: answers control messages through a {@link MessageHandler}
 * and serves block fetches from a {@link BlockResolver}. A connection that does not prove the
 * secret within the handshake timeout is closed before any frame is decoded.
 *
 * <pre>{@code
 * try (TransportServer server = TransportServer.start("0.0.0.0", 0, conf, handler, resolver)) {
 *   advertise(server.port());
 *   ...
 * }
 * }</pre>
 */
public final class TransportServer implements AutoCloseable {
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private final Channel serverChannel;
  private final ChannelGroup connections;

  private TransportServer(Channel serverChannel, ChannelGroup connections) {
    this.serverChannel = serverChannel;
    this.connections = connections;
  }

  /**
   * Starts listening.
   *
   * @param bindHost the address to listen on ({@code "0.0.0.0"} for all)
   * @param port the port, or 0 for any free one (see {@link #port()})
   * @param conf the secret, frame limit, chunk size and handshake timeout
   * @param handler receives control messages; called on I/O threads, must not block
   * @param resolver locates blocks for fetches ({@link BlockResolver#NONE} if none are served)
   * @return the running server
   * @throws IOException if the address cannot be bound
   */
  public static TransportServer start(String bindHost, int port, TransportConf conf, MessageHandler handler,
                                      BlockResolver resolver) throws IOException {
    return start(bindHost, port, conf, handler, resolver, ClassResolver.NONE);
  }

  /**
   * Starts listening, serving the classes {@code classes} knows besides blocks; otherwise as
   * {@link #start(String, int, TransportConf, MessageHandler, BlockResolver)}.
   */
  public static TransportServer start(String bindHost, int port, TransportConf conf, MessageHandler handler,
                                      BlockResolver resolver, ClassResolver classes) throws IOException {
    EventLoops.checkNotOnEventLoop("TransportServer.start");
    ChannelGroup connections = new DefaultChannelGroup("dflow-net-server", GlobalEventExecutor.INSTANCE);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(EventLoops.shared())
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new ServerChannelInitializer(conf, handler, resolver, classes, connections));
    ChannelFuture bound = bootstrap.bind(bindHost, port).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IOException("cannot listen on " + bindHost + ":" + port + ": " + bound.cause().getMessage(), bound.cause());
    }
    return new TransportServer(bound.channel(), connections);
  }

  /** The port listened on. */
  public int port() {
    return address().getPort();
  }

  /** The address listened on. */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /**
   * Stops listening and closes every connection; waits up to a few seconds for that, unless
   * called on a transport I/O thread (then it does not wait).
   */
  @Override
  public void close() {
    ChannelFuture unbound = serverChannel.close();
    ChannelGroupFuture closed = connections.close();
    if (!EventLoops.onEventLoop()) {
      unbound.awaitUninterruptibly(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      closed.awaitUninterruptibly(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public String toString() {
    return "TransportServer[" + serverChannel.localAddress() + "]";
  }
}
