package io.dflow.executor.net;

/**
 * The wire format after authentication. Every frame is
 * {@code length:int32 | type:int8 | payload}, where {@code length} counts the bytes after itself.
 * Payloads (all integers big-endian):
 * <pre>
 * CONTROL         body bytes (the rest of the frame)
 * FETCH_REQUEST   requestId:int64 offset:int64 maxLength:int32 blockIdLength:uint16 blockId:UTF-8
 * FETCH_RESPONSE  requestId:int64 blockLength:int64 data (the rest of the frame)
 * FETCH_FAILURE   requestId:int64 message:UTF-8 (the rest of the frame)
 * CLASS_REQUEST   requestId:int64 nameLength:uint16 name:UTF-8
 * CLASS_RESPONSE  requestId:int64 bytecodeLength:int32 bytecode attachment (the rest of the frame)
 * CLASS_MISSING   requestId:int64 message:UTF-8 (the rest of the frame)
 * </pre>
 * Before authentication the wire carries only the fixed-size handshake fields of {@link Handshake}.
 */
final class Wire {
  static final int LENGTH_FIELD_BYTES = 4;
  static final int TYPE_BYTES = 1;

  static final byte CONTROL = 1;
  static final byte FETCH_REQUEST = 2;
  static final byte FETCH_RESPONSE = 3;
  static final byte FETCH_FAILURE = 4;
  static final byte CLASS_REQUEST = 5;
  static final byte CLASS_RESPONSE = 6;
  static final byte CLASS_MISSING = 7;

  /** Bytes of a control frame that are not body. */
  static final int CONTROL_FRAME_OVERHEAD = LENGTH_FIELD_BYTES + TYPE_BYTES;
  /** Bytes of a fetch response frame before its data: length, type, requestId, blockLength. */
  static final int FETCH_RESPONSE_HEADER_BYTES = LENGTH_FIELD_BYTES + TYPE_BYTES + 8 + 8;
  /** Bytes of a fetch response frame that are not block data. */
  static final int FETCH_RESPONSE_FRAME_OVERHEAD = FETCH_RESPONSE_HEADER_BYTES;
  /** Longest block id, in UTF-8 bytes. */
  static final int MAX_BLOCK_ID_BYTES = 1024;
  /** Longest class name asked for, in UTF-8 bytes. */
  static final int MAX_CLASS_NAME_BYTES = 1024;
  /** Bytes of a class response frame that are not class file or attachment. */
  static final int CLASS_RESPONSE_FRAME_OVERHEAD = LENGTH_FIELD_BYTES + TYPE_BYTES + 8 + 4;
  /** Longest failure message sent, in characters (longer ones are cut). */
  static final int MAX_FAILURE_MESSAGE_CHARS = 2000;

  private Wire() {}
}
