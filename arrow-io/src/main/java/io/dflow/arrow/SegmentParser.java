package io.dflow.arrow;

import java.io.IOException;
import java.nio.ByteBuffer;
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

  /** The most metadata one message may have: ours take a few hundred bytes. */
  static final int MAX_METADATA_BYTES = 64 << 10;

  /** The batches of {@code segment} (position to limit); empty for a zero-length segment. */
  static List<BatchRef> parse(ByteBuffer segment, RecordLayout layout) throws IOException {
    return parse(SegmentSource.of(segment), layout);
  }

  /** The batches of the segment in {@code source}; empty for a zero-length segment. */
  static List<BatchRef> parse(SegmentSource source, RecordLayout layout) throws IOException {
    int limit = source.length();
    List<BatchRef> batches = new ArrayList<>();
    if (limit == 0) {
      return batches;
    }
    int pos = checkSchema(source, layout);
    while (true) {
      if (limit - pos < PREFIX_BYTES) {
        throw corrupt(pos, "truncated: the segment ends without an end-of-stream marker");
      }
      ByteBuffer prefix = source.read(pos, PREFIX_BYTES);
      if (prefix.getInt(0) != CONTINUATION) {
        throw corrupt(pos, "expected a message continuation marker");
      }
      int metadataLength = prefix.getInt(4);
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
      if (metadataLength > MAX_METADATA_BYTES) {
        throw corrupt(pos, "message claims " + metadataLength + " metadata bytes, more than the "
            + MAX_METADATA_BYTES + " a message may have");
      }
      BatchRef batch = BatchValidator.validate(source, pos, metadataStart, metadataLength, layout);
      batches.add(batch);
      pos = batch.bodyStart() + batch.bodyLength();
    }
  }

  private static int checkSchema(SegmentSource source, RecordLayout layout) throws IOException {
    byte[] expected = layout.schemaMessage();
    boolean matches = source.length() >= expected.length
        && source.read(0, expected.length).equals(ByteBuffer.wrap(expected));
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
