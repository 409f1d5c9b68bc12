package io.dflow.executor.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import java.util.concurrent.CompletableFuture;

/**
 * Sets up an outgoing connection: the TLS handler when encrypted, then only the
 * {@link ClientHandshakeHandler} at first; after the
 * server is authenticated, the framing, codec, fetch and control handlers.
 */
final class ClientChannelInitializer extends ChannelInitializer<Channel> {
  private final TransportConf conf;
  private final MessageHandler handler;
  private final CompletableFuture<Void> authenticated;

  /** @param authenticated completed when the pipeline is ready, or exceptionally if the handshake fails */
  ClientChannelInitializer(TransportConf conf, MessageHandler handler, CompletableFuture<Void> authenticated) {
    this.conf = conf;
    this.handler = handler;
    this.authenticated = authenticated;
  }

  @Override
  protected void initChannel(Channel ch) {
    if (conf.encrypted()) {
      ch.pipeline().addLast(ServerChannelInitializer.TLS_HANDLER,
          conf.tls().handler(false, ch.alloc(), conf.handshakeTimeoutMillis()));
    }
    ch.pipeline().addLast("handshake", new ClientHandshakeHandler(conf, this::installAuthenticated, authenticated));
  }

  private void installAuthenticated(Channel ch) {
    Connection connection = Connection.attach(ch, conf);
    ChannelPipeline p = ch.pipeline();
    p.addLast("frameDecoder", new ClientFrameDecoder(conf.maxFrameBytes()));
    p.addLast("messageEncoder", new MessageEncoder());
    p.addLast("fetchResponses", new FetchResponseHandler(ch, conf.fetchChunkBytes()));
    p.addLast("classResponses", new ClassResponseHandler(ch));
    p.addLast("control", new ControlMessageHandler(handler, connection, conf.maxFrameBytes()));
  }
}
