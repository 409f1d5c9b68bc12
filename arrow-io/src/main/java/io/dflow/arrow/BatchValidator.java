package io.dflow.arrow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.BodyCompression;
import org.apache.arrow.flatbuf.BodyCompressionMethod;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.CompressionType;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

/**
 * Validates one record batch message of an untrusted segment against the layout, reading only
 * the segment's bytes: the right number of columns and buffers, every buffer inside the body,
 * buffers large enough for the row count, and variable-width offsets that never decrease and
 * stay within their data buffer ({@link #checkOffsets}). A batch that passes can be loaded into
 * Arrow vectors and read without any out-of-bounds access or allocation beyond its body size.
 *
 * <p>A compressed batch (Arrow body compression, codec {@code LZ4_FRAME} or {@code ZSTD}, method
 * {@code BUFFER}) is checked the same way on the uncompressed lengths its buffers announce in
 * their 8-byte prefixes, each first bounded by what its role can need for the row count (plus
 * padding), a variable-width data buffer by {@link BatchLimits#MAX_BYTES}, and the batch by
 * {@link BufferCodec#MAX_BATCH_BYTES}: decompressing it allocates no more than that. Its offsets
 * can only be checked once decompressed, which {@link SegmentReader} does with
 * {@link #checkOffsets} before reading any value of the batch.
 */
final class BatchValidator {
  /** How far beyond its exact size a writer may pad a buffer (Arrow pads to 8 or 64 bytes). */
  private static final long PADDING = 64;

  private BatchValidator() {}

  static BatchRef validate(SegmentSource segment, int messageStart, int metadataStart,
      int metadataLength, RecordLayout layout) throws IOException {
    int bodyStart = metadataStart + metadataLength;
    RecordBatch batch;
    long bodyLength;
    try {
      Message message = Message.getRootAsMessage(segment.read(metadataStart, metadataLength));
      if (message.headerType() != MessageHeader.RecordBatch) {
        throw SegmentParser.corrupt(messageStart, "expected a record batch message, found "
            + "message type " + message.headerType());
      }
      bodyLength = message.bodyLength();
      batch = (RecordBatch) message.header(new RecordBatch());
      if (batch == null) {
        throw SegmentParser.corrupt(messageStart, "record batch message without a header");
      }
    } catch (RuntimeException e) {
      throw new CorruptShuffleDataException("corrupt shuffle segment at byte " + messageStart
          + ": unreadable message metadata (" + e + ")", e);
    }
    if (bodyLength < 0 || bodyLength > segment.length() - bodyStart) {
      throw SegmentParser.corrupt(messageStart, "record batch claims a body of " + bodyLength
          + " bytes but " + (segment.length() - bodyStart) + " remain");
    }
    try {
      return new Check(segment, messageStart, bodyStart, (int) bodyLength, batch, layout).run();
    } catch (RuntimeException e) {
      throw new CorruptShuffleDataException("corrupt shuffle segment at byte " + messageStart
          + ": unreadable record batch metadata (" + e + ")", e);
    }
  }

  /** The checks of one batch, with the state they share. */
  private static final class Check {
    private final SegmentSource segment;
    private final int messageStart;
    private final int bodyStart;
    private final int bodyLength;
    private final RecordBatch batch;
    private final RecordLayout layout;
    private long rows;
    private CompressionUtil.CodecType codec;
    /** Uncompressed bytes the compressed buffers announce so far. */
    private long decompressed;

    Check(SegmentSource segment, int messageStart, int bodyStart, int bodyLength, RecordBatch batch,
        RecordLayout layout) {
      this.segment = segment;
      this.messageStart = messageStart;
      this.bodyStart = bodyStart;
      this.bodyLength = bodyLength;
      this.batch = batch;
      this.layout = layout;
    }

    BatchRef run() throws IOException {
      rows = batch.length();
      if (rows < 0 || rows > Integer.MAX_VALUE) {
        throw fail("row count " + rows + " out of range");
      }
      if (batch.variadicBufferCountsLength() != 0) {
        throw fail("variadic record batches are not part of the format");
      }
      codec = codecOf(batch.compression());
      int columns = layout.columnCount();
      int bufferCount = 0;
      for (int c = 0; c < columns; c++) {
        bufferCount += layout.column(c).bufferCount();
      }
      if (batch.nodesLength() != columns || batch.buffersLength() != bufferCount) {
        throw fail("has " + batch.nodesLength() + " columns and " + batch.buffersLength()
            + " buffers; encoder " + layout.encoder().describe() + " needs " + columns + " and "
            + bufferCount);
      }
      long[] offsets = new long[bufferCount];
      long[] lengths = new long[bufferCount];
      for (int b = 0; b < bufferCount; b++) {
        Buffer buffer = batch.buffers(b);
        offsets[b] = buffer.offset();
        lengths[b] = buffer.length();
        if (offsets[b] < 0 || lengths[b] < 0 || offsets[b] > bodyLength
            || lengths[b] > bodyLength - offsets[b]) {
          throw fail("buffer " + b + " [" + offsets[b] + ", +" + lengths[b]
              + ") lies outside the body of " + bodyLength + " bytes");
        }
      }
      long[] sizes = new long[bufferCount];
      List<ArrowFieldNode> nodes = new ArrayList<>(columns);
      int firstBuffer = 0;
      for (int c = 0; c < columns; c++) {
        nodes.add(checkColumn(c, layout.column(c), firstBuffer, offsets, lengths, sizes));
        firstBuffer += layout.column(c).bufferCount();
      }
      return new BatchRef(messageStart, (int) rows, bodyStart, bodyLength, nodes, offsets,
          lengths, codec, sizes);
    }

    /** The batch's codec: null when uncompressed; LZ4_FRAME or ZSTD, method BUFFER, else corrupt. */
    private CompressionUtil.CodecType codecOf(BodyCompression compression)
        throws CorruptShuffleDataException {
      if (compression == null) {
        return null;
      }
      byte type = compression.codec();
      CompressionUtil.CodecType codec = switch (type) {
        case CompressionType.LZ4_FRAME -> CompressionUtil.CodecType.LZ4_FRAME;
        case CompressionType.ZSTD -> CompressionUtil.CodecType.ZSTD;
        default -> throw fail("is compressed with unknown codec id " + type);
      };
      if (compression.method() != BodyCompressionMethod.BUFFER) {
        throw fail("is compressed with unknown method " + compression.method());
      }
      return codec;
    }

    /**
     * The length of buffer {@code b} once decompressed, read from its prefix and refused above
     * {@code bound}; the stored length for an uncompressed batch, or a buffer stored raw.
     */
    private long uncompressedLength(int column, String role, int b, long[] offsets,
        long[] lengths, long bound) throws IOException {
      long stored = lengths[b];
      if (codec == null || stored == 0) {
        return stored; // Arrow writes an empty buffer of a compressed batch as zero bytes too
      }
      if (stored < BufferCodec.PREFIX_BYTES) {
        throw fail("column " + column + " " + role + " buffer of " + stored
            + " bytes is too short for its uncompressed-length prefix");
      }
      long announced = segment.read(bodyStart + (int) offsets[b], Long.BYTES).getLong(0);
      if (announced == BufferCodec.RAW) {
        return stored - BufferCodec.PREFIX_BYTES;
      }
      if (announced < 0 || announced > bound) {
        throw fail("column " + column + " " + role + " buffer claims " + announced
            + " uncompressed bytes; at most " + bound + " fit " + rows + " rows");
      }
      if (announced == 0 && stored != BufferCodec.PREFIX_BYTES) {
        throw fail("column " + column + " " + role + " buffer is empty but stores " + stored
            + " bytes");
      }
      decompressed += announced;
      if (decompressed > BufferCodec.MAX_BATCH_BYTES) {
        throw fail("claims more than " + BufferCodec.MAX_BATCH_BYTES
            + " uncompressed bytes");
      }
      return announced;
    }

    private ArrowFieldNode checkColumn(int column, ColumnKind kind, int firstBuffer,
        long[] offsets, long[] lengths, long[] sizes) throws IOException {
      FieldNode node = batch.nodes(column);
      long nullCount = node.nullCount();
      if (node.length() != rows || nullCount < 0 || nullCount > rows) {
        throw fail("column " + column + " has " + node.length() + " values and " + nullCount
            + " nulls in a batch of " + rows + " rows");
      }
      // Arrow uses a non-empty validity buffer as is, and synthesises a missing one only when
      // no value or every value is null.
      long validityBytes = (rows + 7) / 8;
      long validityLength = uncompressedLength(column, "validity", firstBuffer, offsets, lengths,
          padded(validityBytes));
      sizes[firstBuffer] = validityLength;
      boolean synthesised = validityLength == 0 && (nullCount == 0 || nullCount == rows);
      if (!synthesised && validityLength < validityBytes) {
        throw fail("column " + column + " validity buffer too small for " + rows + " rows");
      }
      if (kind.isVariableWidth()) {
        long offsetsBytes = (rows + 1) * Integer.BYTES;
        long offsetsLength = uncompressedLength(column, "offsets", firstBuffer + 1, offsets,
            lengths, padded(offsetsBytes));
        long dataLength = uncompressedLength(column, "data", firstBuffer + 2, offsets, lengths,
            BatchLimits.MAX_BYTES);
        sizes[firstBuffer + 1] = offsetsLength;
        sizes[firstBuffer + 2] = dataLength;
        if (offsetsLength < offsetsBytes) {
          throw fail("column " + column + " offsets buffer too small for " + rows + " rows");
        }
        if (codec == null) { // else checked once decompressed, before any value is read
          checkOffsets(segment.read(bodyStart + (int) offsets[firstBuffer + 1], (int) offsetsBytes), 0,
              (int) rows, dataLength, column, messageStart);
        }
      } else {
        long dataBytes = (rows * kind.fixedWidthBits() + 7) / 8;
        long dataLength = uncompressedLength(column, "data", firstBuffer + 1, offsets, lengths,
            padded(dataBytes));
        sizes[firstBuffer + 1] = dataLength;
        if (dataLength < dataBytes) {
          throw fail("column " + column + " data buffer too small for " + rows + " rows");
        }
      }
      return new ArrowFieldNode(rows, nullCount);
    }

    private CorruptShuffleDataException fail(String problem) {
      return SegmentParser.corrupt(messageStart, "record batch " + problem);
    }
  }

  private static long padded(long bytes) {
    return (bytes + PADDING - 1) / PADDING * PADDING;
  }

  /**
   * The rule for the offsets of a variable-width column of {@code rows} values, read as
   * little-endian ints from {@code bytes} at {@code start} (which holds {@code rows + 1} of
   * them): the first is not negative, none is smaller than the one before, and the last is
   * within the {@code dataLength} bytes of the data buffer. Applied to the segment's bytes for
   * an uncompressed batch, and to the decompressed offsets buffer for a compressed one.
   *
   * @throws CorruptShuffleDataException naming the batch at {@code messageStart} if they break it
   */
  static void checkOffsets(ByteBuffer bytes, int start, int rows, long dataLength, int column,
      int messageStart) throws CorruptShuffleDataException {
    int previous = bytes.getInt(start);
    if (previous < 0) {
      throw offsetsCorrupt(messageStart, column, "first offset is negative");
    }
    for (int row = 1; row <= rows; row++) {
      int next = bytes.getInt(start + row * Integer.BYTES);
      if (next < previous) {
        throw offsetsCorrupt(messageStart, column, "offsets decrease at row " + row);
      }
      previous = next;
    }
    if (previous > dataLength) {
      throw offsetsCorrupt(messageStart, column, "offsets reach byte " + previous
          + " of a data buffer of " + dataLength + " bytes");
    }
  }

  private static CorruptShuffleDataException offsetsCorrupt(int messageStart, int column,
      String problem) {
    return SegmentParser.corrupt(messageStart, "record batch column " + column + " " + problem);
  }
}
