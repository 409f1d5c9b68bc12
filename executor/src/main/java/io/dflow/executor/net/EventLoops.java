package io.dflow.executor.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one NIO event loop group of the process, created on first use and shut down only by a
 * process about to exit ({@link #shutdownForExit}). Its threads ({@code dflow-net-*}) are
 * daemons, so they do not keep a JVM alive. Netty sizes it (two threads per core unless
 * {@code -Dio.netty.eventLoopThreads} says otherwise).
 */
public final class EventLoops {
  private static final long EXIT_WAIT_MILLIS = 1000;
  private static volatile boolean created;

  private EventLoops() {}

  private static final class Holder {
    static final EventLoopGroup GROUP = newGroup();

    private static EventLoopGroup newGroup() {
      created = true;
      return new NioEventLoopGroup(0, new DefaultThreadFactory("dflow-net", true));
    }
  }

  /**
   * Stops the I/O threads of a process that is about to exit; nothing may use the transport
   * afterwards. An idle I/O thread waits in {@code epoll_wait}, native code, and the JVM's exit
   * waits up to 300 ms for such threads before it gives up on them: every local-cluster driver
   * and executor paid that on exit.
   */
  public static void shutdownForExit() {
    if (created) {
      Holder.GROUP.shutdownGracefully(0, EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(EXIT_WAIT_MILLIS);
    }
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
