package io.dflow.executor.net;

import picocli.CommandLine.Option;

/**
 * The transport settings a JVM the driver starts is given on its command line (an executor, an
 * MPI rank); the secret comes from the environment, never from here.
 */
public final class TransportOptions {
  @Option(names = "--max-frame", description = "largest frame in bytes")
  int maxFrame = TransportConf.DEFAULT_MAX_FRAME_BYTES;

  @Option(names = "--fetch-chunk", description = "fetch chunk size in bytes")
  int fetchChunk = TransportConf.DEFAULT_FETCH_CHUNK_BYTES;

  @Option(names = "--handshake-ms", description = "handshake timeout")
  long handshakeMillis = TransportConf.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS;

  /** These settings with {@code secret}. */
  public TransportConf withSecret(byte[] secret) {
    return new TransportConf(secret, maxFrame, fetchChunk, handshakeMillis);
  }

  /** The options that give a JVM {@code conf}'s settings. */
  public static java.util.List<String> of(TransportConf conf) {
    return java.util.List.of("--max-frame", String.valueOf(conf.maxFrameBytes()),
        "--fetch-chunk", String.valueOf(conf.fetchChunkBytes()),
        "--handshake-ms", String.valueOf(conf.handshakeTimeoutMillis()));
  }
}
