package io.dflow.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the whole structure of a segment before any Arrow memory is allocated for it: the
 * schema message must be exactly the one the encoder's writer emits, every message length
 * must fit in the bytes that remain, every record batch must match the layout
 * ({@link BatchValidator}; for a compressed batch, on the uncompressed lengths its buffers
 * announce), and the segment must end with the end-of-stream marker and
 * nothing after it. Arrow's own stream reader allocates whatever length a message claims
 * before reading it, which a hostile peer could use to exhaust the heap.
 */
final class SegmentParser {
  private static final int PREFIX_BYTES = 8;
  private static final int CONTINUATION = 0xFFFFFFFF;

  private SegmentParser() {}

  /** The batches of {@code segment} (position to limit); empty for a zero-length segment. */
  static List<BatchRef> parse(ByteBuffer segment, RecordLayout layout)
      throws CorruptShuffleDataException {
    ByteBuffer bytes = segment.slice().order(ByteOrder.LITTLE_ENDIAN);
    int limit = bytes.limit();
    List<BatchRef> batches = new ArrayList<>();
    if (limit == 0) {
      return batches;
    }
    int pos = checkSchema(bytes, layout);
    while (true) {
      if (limit - pos < PREFIX_BYTES) {
        throw corrupt(pos, "truncated: the segment ends without an end-of-stream marker");
      }
      if (bytes.getInt(pos) != CONTINUATION) {
        throw corrupt(pos, "expected a message continuation marker");
      }
      int metadataLength = bytes.getInt(pos + 4);
      int metadataStart = pos + PREFIX_BYTES;
      if (metadataLength == 0) {
        if (metadataStart != limit) {
          throw corrupt(metadataStart, (limit - metadataStart) + " bytes after end-of-stream");
        }
        return batches;
      }
      if (metadataLength < 0 || metadataLength > limit - metadataStart) {
        throw corrupt(pos, "message claims " + metadataLength + " metadata bytes but "
            + (limit - metadataStart) + " remain");
      }
      BatchRef batch = BatchValidator.validate(bytes, pos, metadataStart, metadataLength, layout);
      batches.add(batch);
      pos = batch.bodyStart() + batch.bodyLength();
    }
  }

  private static int checkSchema(ByteBuffer bytes, RecordLayout layout)
      throws CorruptShuffleDataException {
    byte[] expected = layout.schemaMessage();
    boolean matches = bytes.limit() >= expected.length
        && bytes.slice(0, expected.length).equals(ByteBuffer.wrap(expected));
    if (!matches) {
      throw corrupt(0, "does not start with the Arrow schema of encoder "
          + layout.encoder().describe() + " (truncated, damaged, or written for another encoder)");
    }
    return expected.length;
  }

  static CorruptShuffleDataException corrupt(int offset, String problem) {
    return new CorruptShuffleDataException(
        "corrupt shuffle segment at byte " + offset + ": " + problem);
  }

  static CorruptShuffleDataException corrupt(int offset, String problem, Throwable cause) {
    return new CorruptShuffleDataException(
        "corrupt shuffle segment at byte " + offset + ": " + problem, cause);
  }
}
