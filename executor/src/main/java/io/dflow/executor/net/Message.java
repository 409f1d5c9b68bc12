package io.dflow.executor.net;

/**
 * The messages exchanged after authentication. Decoded messages hold only heap data, never a
 * {@code ByteBuf}, so they need no release. Arrays are not copied: a sender must not change an
 * array after handing it over, and a receiver owns the arrays it is given.
 */
sealed interface Message {

  /** An opaque control message; the caller serialises its own payload. */
  record Control(byte[] body) implements Message {}

  /** Asks for at most {@code maxLength} bytes of a block from {@code offset}. */
  record FetchRequest(long requestId, String blockId, long offset, int maxLength) implements Message {}

  /**
   * One chunk of a block: {@code data} starts at the offset the request asked for;
   * {@code blockLength} is the length of the whole block.
   */
  record FetchResponse(long requestId, long blockLength, byte[] data) implements Message {}

  /** The server could not serve a fetch; {@code message} says why. */
  record FetchFailure(long requestId, String message) implements Message {}

  /** Asks for the class file of {@code className} (a binary name), as the server's {@link ClassResolver} knows it. */
  record ClassRequest(long requestId, String className) implements Message {}

  /**
   * A served class: its class file and what the server sends along with it ({@link ServedClass}).
   */
  record ClassResponse(long requestId, byte[] bytecode, byte[] attachment) implements Message {}

  /** The server does not serve the class asked for; {@code message} says why. */
  record ClassMissing(long requestId, String message) implements Message {}
}
