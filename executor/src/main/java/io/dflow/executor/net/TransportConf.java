package io.dflow.executor.net;

import java.time.Duration;
import java.util.Arrays;

/**
 * Settings of the transport, shared by both ends of a connection.
 *
 * @param secret the per-run shared secret both ends prove they hold; at least 16 bytes. The
 *     record keeps its own copy, and the accessor returns a copy.
 * @param maxFrameBytes the largest frame accepted, counting its 4-byte length prefix; a peer
 *     that announces a bigger frame is disconnected
 * @param fetchChunkBytes how many bytes of a block one fetch response carries; must fit in one
 *     frame together with the response header
 * @param handshakeTimeoutMillis how long a new connection may take to authenticate (TLS and
 *     secret both; and a client to connect) before it is closed
 * @param tls the application's key and certificate: every connection is TLS 1.3 with it, under
 *     the secret's handshake; null for plain TCP (both ends must agree)
 */
public record TransportConf(byte[] secret, int maxFrameBytes, int fetchChunkBytes,
                            long handshakeTimeoutMillis, TlsIdentity tls) {

  /** Shortest secret accepted. */
  public static final int MIN_SECRET_BYTES = 16;
  /** Default {@link #maxFrameBytes}: 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;
  /** Default {@link #fetchChunkBytes}: 4 MiB. */
  public static final int DEFAULT_FETCH_CHUNK_BYTES = 4 << 20;
  /** Default {@link #handshakeTimeoutMillis}: 10 s. */
  public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = Duration.ofSeconds(10).toMillis();

  /** Validates the settings and copies the secret. */
  public TransportConf {
    if (secret == null || secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("transport secret must have at least " + MIN_SECRET_BYTES + " bytes");
    }
    secret = secret.clone();
    if (fetchChunkBytes <= 0) {
      throw new IllegalArgumentException("fetchChunkBytes must be positive: " + fetchChunkBytes);
    }
    long needed = (long) fetchChunkBytes + Wire.FETCH_RESPONSE_FRAME_OVERHEAD;
    if (maxFrameBytes < needed) {
      throw new IllegalArgumentException("maxFrameBytes (" + maxFrameBytes + ") must be at least fetchChunkBytes + "
          + Wire.FETCH_RESPONSE_FRAME_OVERHEAD + " (" + needed + ")");
    }
    if (handshakeTimeoutMillis <= 0) {
      throw new IllegalArgumentException("handshakeTimeoutMillis must be positive: " + handshakeTimeoutMillis);
    }
  }

  /** Plain TCP connections (no TLS); otherwise as the canonical constructor. */
  public TransportConf(byte[] secret, int maxFrameBytes, int fetchChunkBytes, long handshakeTimeoutMillis) {
    this(secret, maxFrameBytes, fetchChunkBytes, handshakeTimeoutMillis, null);
  }

  /** These settings with connections encrypted by {@code identity} (null: plain TCP). */
  public TransportConf withTls(TlsIdentity identity) {
    return new TransportConf(secret, maxFrameBytes, fetchChunkBytes, handshakeTimeoutMillis, identity);
  }

  /** Whether connections are TLS. */
  public boolean encrypted() {
    return tls != null;
  }

  /** The defaults (16 MiB frames, 4 MiB fetch chunks, 10 s handshake) with the given secret. */
  public static TransportConf defaults(byte[] secret) {
    return new TransportConf(secret, DEFAULT_MAX_FRAME_BYTES, DEFAULT_FETCH_CHUNK_BYTES,
        DEFAULT_HANDSHAKE_TIMEOUT_MILLIS);
  }

  /** A copy of the secret. */
  @Override
  public byte[] secret() {
    return secret.clone();
  }

  /** The largest control message body that fits in one frame. */
  public int maxControlBytes() {
    return maxFrameBytes - Wire.CONTROL_FRAME_OVERHEAD;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransportConf c && Arrays.equals(secret, c.secret) && maxFrameBytes == c.maxFrameBytes
        && fetchChunkBytes == c.fetchChunkBytes && handshakeTimeoutMillis == c.handshakeTimeoutMillis
        && java.util.Objects.equals(tls, c.tls);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(secret) + Long.hashCode(handshakeTimeoutMillis) + 17 * maxFrameBytes + fetchChunkBytes
        + java.util.Objects.hashCode(tls);
  }

  /** Never shows the secret or the key. */
  @Override
  public String toString() {
    return "TransportConf[secret=<redacted>, maxFrameBytes=" + maxFrameBytes + ", fetchChunkBytes="
        + fetchChunkBytes + ", handshakeTimeoutMillis=" + handshakeTimeoutMillis
        + (tls == null ? ", plain" : ", tls=" + tls.fingerprint()) + "]";
  }
}
