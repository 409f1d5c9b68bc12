package io.dflow.executor.net;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server does about peers that have not authenticated: at most {@link #MAX_PENDING}
 * handshakes run at once (a connection past that is closed at once, so a flood of silent
 * sockets cannot hold the port's memory or file descriptors for the handshake timeout), and
 * failed handshakes are logged at a bounded rate: the first at once, then one line per
 * {@link #LOG_INTERVAL_NANOS} saying how many failed since and the latest reason.
 *
 * <p>Threading: thread-safe; called from the server's event loops.
 */
final class HandshakeGate {
  static final int MAX_PENDING = 64;
  static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeGate.class);

  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong failedSinceLog = new AtomicLong();
  private final LongSupplier nanoTime;
  private final java.util.function.Consumer<String> warn;
  private long lastLogNanos;
  private boolean loggedAny;

  HandshakeGate() {
    this(System::nanoTime, LOG::warn);
  }

  /** @param warn where the log lines go */
  HandshakeGate(LongSupplier nanoTime, java.util.function.Consumer<String> warn) {
    this.nanoTime = nanoTime;
    this.warn = warn;
  }

  /** A connection wants to authenticate; false (and counted as a failure) when too many already are. */
  boolean admit(Object remote) {
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      failed(remote, "was refused: " + MAX_PENDING + " connections were already authenticating");
      return false;
    }
    return true;
  }

  /** A handshake that {@link #admit} let in ended, either way. */
  void ended() {
    pending.decrementAndGet();
  }

  /** How many handshakes run now. */
  int pending() {
    return pending.get();
  }

  /** Logs a failed handshake, or counts it for the next line when one was logged lately. */
  void failed(Object remote, String reason) {
    long now = nanoTime.getAsLong();
    long skipped;
    synchronized (this) {
      if (loggedAny && now - lastLogNanos < LOG_INTERVAL_NANOS) {
        failedSinceLog.incrementAndGet();
        return;
      }
      loggedAny = true;
      lastLogNanos = now;
      skipped = failedSinceLog.getAndSet(0);
    }
    warn.accept("closing connection " + remote + " before authentication: peer " + reason
        + (skipped == 0 ? "" : " (and " + skipped + " more connections failed to authenticate since the last such line)"));
  }
}
