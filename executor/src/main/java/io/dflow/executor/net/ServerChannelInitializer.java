package io.dflow.executor.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * Sets up an accepted connection: the TLS handler when encrypted, then only the
 * {@link ServerHandshakeHandler} at first; after the client is authenticated, the framing,
 * codec, fetch and control handlers. Its
 * {@link HandshakeGate} bounds the handshakes under way and the log lines of failed ones.
 */
final class ServerChannelInitializer extends ChannelInitializer<Channel> {
  private final TransportConf conf;
  private final MessageHandler handler;
  private final BlockResolver resolver;
  private final ClassResolver classes;
  private final ChannelGroup channels;
  private final HandshakeGate gate = new HandshakeGate();
  /** The name of the TLS handler, first in the pipeline of an encrypted connection. */
  static final String TLS_HANDLER = "tls";

  /** @param channels where accepted channels are tracked so the server can close them; may be null */
  ServerChannelInitializer(TransportConf conf, MessageHandler handler, BlockResolver resolver, ChannelGroup channels) {
    this(conf, handler, resolver, ClassResolver.NONE, channels);
  }

  /** As above, serving the classes {@code classes} knows too. */
  ServerChannelInitializer(TransportConf conf, MessageHandler handler, BlockResolver resolver, ClassResolver classes,
      ChannelGroup channels) {
    this.conf = conf;
    this.handler = handler;
    this.resolver = resolver;
    this.classes = classes;
    this.channels = channels;
  }

  @Override
  protected void initChannel(Channel ch) {
    if (channels != null) {
      channels.add(ch);
    }
    if (!gate.admit(ch.remoteAddress())) {
      ch.close();
      return;
    }
    if (conf.encrypted()) {
      ch.pipeline().addLast(TLS_HANDLER, conf.tls().handler(true, ch.alloc(), conf.handshakeTimeoutMillis()));
    }
    ch.pipeline().addLast("handshake", new ServerHandshakeHandler(conf, gate, this::installAuthenticated));
  }

  private void installAuthenticated(Channel ch) {
    Connection connection = Connection.attach(ch, conf);
    ChannelPipeline p = ch.pipeline();
    p.addLast("frameDecoder", frameDecoder(conf));
    p.addLast("messageDecoder", new MessageDecoder());
    p.addLast("messageEncoder", new MessageEncoder());
    if (conf.encrypted()) {
      p.addLast("chunkedWriter", new ChunkedWriteHandler()); // file chunks, read as TLS can take them
    }
    p.addLast("fetchRequests", new FetchRequestHandler(resolver, conf.fetchChunkBytes(), !conf.encrypted()));
    p.addLast("classRequests", new ClassRequestHandler(classes, conf.maxFrameBytes()));
    p.addLast("control", new ControlMessageHandler(handler, connection, conf.maxFrameBytes()));
  }

  /** Length-prefixed frames of at most {@code maxFrameBytes} (prefix included); strips the prefix. */
  static LengthFieldBasedFrameDecoder frameDecoder(TransportConf conf) {
    return new LengthFieldBasedFrameDecoder(conf.maxFrameBytes(), 0, Wire.LENGTH_FIELD_BYTES, 0, Wire.LENGTH_FIELD_BYTES);
  }
}
