package io.dflow.executor.net;

import java.io.IOException;

/**
 * Tells a {@link TransportServer} where the bytes of a block are. Called on an event loop
 * thread for every fetch chunk: it must be quick (a map lookup, a small index read) and must not
 * block on anything else.
 */
@FunctionalInterface
public interface BlockResolver {

  /** A resolver for endpoints that serve no blocks (a driver, say). */
  BlockResolver NONE = blockId -> {
    throw new IOException("this endpoint serves no blocks");
  };

  /**
   * Locates a block.
   *
   * @param blockId the id the fetcher sent; untrusted input, so parse it strictly
   * @return where the block's bytes are
   * @throws IOException if the block is unknown or unreadable; the message is sent back to the
   *     fetcher, whose fetch fails with it
   */
  BlockData resolve(String blockId) throws IOException;
}
