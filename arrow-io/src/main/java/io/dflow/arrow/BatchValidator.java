package io.dflow.arrow;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

/**
 * Validates one record batch message of an untrusted segment against the layout, reading only
 * the segment's bytes: the right number of columns and buffers, no compression, every buffer
 * inside the body, buffers large enough for the row count, and variable-width offsets that
 * never decrease and stay within their data buffer. A batch that passes can be loaded into
 * Arrow vectors and read without any out-of-bounds access or allocation beyond its body size.
 */
final class BatchValidator {
  private BatchValidator() {}

  static BatchRef validate(ByteBuffer segment, int messageStart, int metadataStart,
      int metadataLength, RecordLayout layout) throws CorruptShuffleDataException {
    int bodyStart = metadataStart + metadataLength;
    RecordBatch batch;
    long bodyLength;
    try {
      Message message = Message.getRootAsMessage(
          segment.slice(metadataStart, metadataLength).order(segment.order()));
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
    if (bodyLength < 0 || bodyLength > segment.limit() - bodyStart) {
      throw SegmentParser.corrupt(messageStart, "record batch claims a body of " + bodyLength
          + " bytes but " + (segment.limit() - bodyStart) + " remain");
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
    private final ByteBuffer segment;
    private final int messageStart;
    private final int bodyStart;
    private final int bodyLength;
    private final RecordBatch batch;
    private final RecordLayout layout;
    private long rows;

    Check(ByteBuffer segment, int messageStart, int bodyStart, int bodyLength, RecordBatch batch,
        RecordLayout layout) {
      this.segment = segment;
      this.messageStart = messageStart;
      this.bodyStart = bodyStart;
      this.bodyLength = bodyLength;
      this.batch = batch;
      this.layout = layout;
    }

    BatchRef run() throws CorruptShuffleDataException {
      rows = batch.length();
      if (rows < 0 || rows > Integer.MAX_VALUE) {
        throw fail("row count " + rows + " out of range");
      }
      if (batch.compression() != null || batch.variadicBufferCountsLength() != 0) {
        throw fail("compressed or variadic record batches are not part of the format");
      }
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
      List<ArrowFieldNode> nodes = new ArrayList<>(columns);
      int firstBuffer = 0;
      for (int c = 0; c < columns; c++) {
        nodes.add(checkColumn(c, layout.column(c), firstBuffer, offsets, lengths));
        firstBuffer += layout.column(c).bufferCount();
      }
      return new BatchRef((int) rows, bodyStart, bodyLength, nodes, offsets, lengths);
    }

    private ArrowFieldNode checkColumn(int column, ColumnKind kind, int firstBuffer,
        long[] offsets, long[] lengths) throws CorruptShuffleDataException {
      FieldNode node = batch.nodes(column);
      long nullCount = node.nullCount();
      if (node.length() != rows || nullCount < 0 || nullCount > rows) {
        throw fail("column " + column + " has " + node.length() + " values and " + nullCount
            + " nulls in a batch of " + rows + " rows");
      }
      // Arrow uses a non-empty validity buffer as is, and synthesises a missing one only when
      // no value or every value is null.
      long validityLength = lengths[firstBuffer];
      boolean synthesised = validityLength == 0 && (nullCount == 0 || nullCount == rows);
      if (!synthesised && validityLength < (rows + 7) / 8) {
        throw fail("column " + column + " validity buffer too small for " + rows + " rows");
      }
      if (kind.isVariableWidth()) {
        checkVariableWidth(column, offsets[firstBuffer + 1], lengths[firstBuffer + 1],
            lengths[firstBuffer + 2]);
      } else if (lengths[firstBuffer + 1] < (rows * kind.fixedWidthBits() + 7) / 8) {
        throw fail("column " + column + " data buffer too small for " + rows + " rows");
      }
      return new ArrowFieldNode(rows, nullCount);
    }

    private void checkVariableWidth(int column, long offsetsStart, long offsetsLength,
        long dataLength) throws CorruptShuffleDataException {
      if (offsetsLength < (rows + 1) * Integer.BYTES) {
        throw fail("column " + column + " offsets buffer too small for " + rows + " rows");
      }
      int at = bodyStart + (int) offsetsStart;
      int previous = segment.getInt(at);
      if (previous < 0) {
        throw fail("column " + column + " first offset is negative");
      }
      for (int row = 1; row <= rows; row++) {
        int next = segment.getInt(at + row * Integer.BYTES);
        if (next < previous) {
          throw fail("column " + column + " offsets decrease at row " + row);
        }
        previous = next;
      }
      if (previous > dataLength) {
        throw fail("column " + column + " offsets reach byte " + previous
            + " of a data buffer of " + dataLength + " bytes");
      }
    }

    private CorruptShuffleDataException fail(String problem) {
      return SegmentParser.corrupt(messageStart, "record batch " + problem);
    }
  }
}
