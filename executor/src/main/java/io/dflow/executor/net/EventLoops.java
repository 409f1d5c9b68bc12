package io.dflow.executor.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

/**
 * The one NIO event loop group of the process, created on first use and never shut down. Its
 * threads ({@code dflow-net-*}) are daemons, so they do not keep a JVM alive. Netty sizes it (two
 * threads per core unless {@code -Dio.netty.eventLoopThreads} says otherwise).
 */
final class EventLoops {

  private EventLoops() {}

  private static final class Holder {
    static final EventLoopGroup GROUP = new NioEventLoopGroup(0, new DefaultThreadFactory("dflow-net", true));
  }

  static EventLoopGroup shared() {
    return Holder.GROUP;
  }

  /** Whether the calling thread is one of the transport's I/O threads. */
  static boolean onEventLoop() {
    for (EventExecutor executor : shared()) {
      if (executor.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  /** Fails fast instead of deadlocking when a blocking call is made on one of our I/O threads. */
  static void checkNotOnEventLoop(String operation) {
    if (onEventLoop()) {
      throw new IllegalStateException(operation + " blocks and must not be called on a transport I/O thread");
    }
  }
}
