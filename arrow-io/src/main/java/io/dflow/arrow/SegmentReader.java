package io.dflow.arrow;

import io.dflow.api.Encoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * Decodes one shuffle segment, whose bytes may come from a hostile peer, into records:
 * {@code String}, {@code Long}, {@code Integer}, {@code Double}, {@code Boolean},
 * {@code byte[]}, {@link io.dflow.api.Pair} or deserialised Java objects, with nulls.
 *
 * <p>{@link #open} checks the structure of the whole segment before allocating any Arrow
 * memory, so damaged or hostile bytes fail there with a {@link CorruptShuffleDataException},
 * and nothing larger than one batch body (at most the segment's size) plus, for a compressed
 * batch, the uncompressed lengths its buffers announce (at most
 * {@link BufferCodec#MAX_BATCH_BYTES}, checked before allocating) is ever allocated. Batches are
 * then copied into Arrow memory from the caller's allocator one at a time, the previous one
 * released; a compressed batch is decompressed as it is loaded.
 *
 * <p>What can still fail while iterating: a compressed batch whose buffers do not decompress to
 * exactly their announced lengths, or whose decompressed offsets break the rules, makes
 * {@link #hasNext()} (and so {@link #next()}) throw an {@link UncheckedIOException} wrapping a
 * {@link CorruptShuffleDataException} that names the batch's byte offset, before any value of
 * that batch is read, and again on every later call; the content of a Java-serialised value
 * (refused by the filter, unknown class, damaged) makes {@link #next()} throw an
 * {@link UncheckedIOException} wrapping the {@link IOException}; and an allocator over its limit
 * throws Arrow's {@code OutOfMemoryException}.
 *
 * <p>The caller must leave the segment's bytes (buffer or file) unchanged until the reader is closed, and close
 * it (try-with-resources) to return its memory.
 */
public final class SegmentReader implements Iterator<Object>, AutoCloseable {
  private final SegmentSource segment;
  private final List<BatchRef> batches;
  private final RecordLayout layout;
  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final VectorLoader loader;
  private final RecordReader records;
  private final long recordCount;
  private int nextBatch;
  private int row;
  private int rowsInBatch;
  private long recordsRead;
  /** A batch that could not be loaded: the reader cannot go on. */
  private CorruptShuffleDataException failure;

  private SegmentReader(SegmentSource segment, List<BatchRef> batches, RecordLayout layout,
      BufferAllocator allocator, DeserializationPolicy policy) {
    this.segment = segment;
    this.batches = batches;
    this.layout = layout;
    this.allocator = allocator;
    this.root = VectorSchemaRoot.create(layout.schema(), allocator);
    this.loader = new VectorLoader(root);
    this.records = RecordReader.bind(layout, root, policy);
    this.recordCount = batches.stream().mapToLong(BatchRef::rows).sum();
  }

  /**
   * Validates {@code segment} (its bytes from position to limit; zero bytes is an empty
   * partition) as a segment of {@code encoder}'s records and opens a reader over it.
   *
   * @throws CorruptShuffleDataException if the bytes are not such a segment
   */
  public static SegmentReader open(ByteBuffer segment, Encoder<?> encoder,
      BufferAllocator allocator, DeserializationPolicy policy) throws IOException {
    return open(SegmentSource.of(segment), encoder, allocator, policy);
  }

  /**
   * Validates the segment in {@code source} as a segment of {@code encoder}'s records and opens
   * a reader over it, which closes the source when it is closed (or here, if it is not a segment).
   *
   * @throws CorruptShuffleDataException if the bytes are not such a segment
   */
  public static SegmentReader open(SegmentSource source, Encoder<?> encoder,
      BufferAllocator allocator, DeserializationPolicy policy) throws IOException {
    Objects.requireNonNull(allocator, "allocator");
    Objects.requireNonNull(policy, "policy");
    try {
      RecordLayout layout = RecordLayout.of(encoder);
      List<BatchRef> batches = SegmentParser.parse(source, layout);
      return new SegmentReader(source, batches, layout, allocator, policy);
    } catch (IOException | RuntimeException e) {
      source.close();
      throw e;
    }
  }

  /** Like {@link #open(ByteBuffer, Encoder, BufferAllocator, DeserializationPolicy)}. */
  public static SegmentReader open(byte[] segment, Encoder<?> encoder, BufferAllocator allocator,
      DeserializationPolicy policy) throws IOException {
    return open(ByteBuffer.wrap(segment), encoder, allocator, policy);
  }

  /** Records in the segment, known once it is opened. */
  public long recordCount() {
    return recordCount;
  }

  /** Record batches in the segment. */
  public int batchCount() {
    return batches.size();
  }

  /** What the segment would take with its batches uncompressed (its length, when they are not). */
  public long rawBytes() {
    long raw = segment.length();
    for (BatchRef batch : batches) {
      for (int b = 0; b < batch.bufferLengths().length; b++) {
        raw += batch.uncompressedLengths()[b] - batch.bufferLengths()[b];
      }
    }
    return raw;
  }

  /**
   * @throws UncheckedIOException wrapping a {@link CorruptShuffleDataException} if the next
   *     batch is compressed and damaged
   */
  @Override
  public boolean hasNext() {
    if (failure != null) {
      throw new UncheckedIOException(failure.getMessage(), failure);
    }
    while (row == rowsInBatch) {
      if (nextBatch == batches.size()) {
        root.clear(); // the last batch's memory goes back before close
        return false;
      }
      try {
        load(batches.get(nextBatch++));
      } catch (CorruptShuffleDataException e) {
        failure = e;
        root.clear();
        throw new UncheckedIOException(e.getMessage(), e);
      } catch (IOException e) {
        root.clear();
        throw new UncheckedIOException("cannot read a shuffle segment: " + e.getMessage(), e);
      }
    }
    return true;
  }

  /**
   * The next record.
   *
   * @throws UncheckedIOException if a Java-serialised value cannot be deserialised; the
   *     reader has then moved past that record, so iteration may go on
   */
  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException("segment has no more records");
    }
    long index = recordsRead++;
    try {
      return records.read(row++); // a failed record is passed, so a caller may skip it
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read record " + index + " of a shuffle segment: "
          + e.getMessage(), e);
    }
  }

  private void load(BatchRef batch) throws IOException {
    int count = batch.bufferOffsets().length;
    BufferCodec codec = batch.compressed() ? BufferCodec.forReading(batch.codec()) : null;
    List<ArrowBuf> buffers = new ArrayList<>(count); // each holds one reference, released below
    try {
      try (ArrowBuf body = allocator.buffer(batch.bodyLength())) {
        segment.copyTo(batch.bodyStart(), batch.bodyLength(), body);
        for (int b = 0; b < count; b++) {
          ArrowBuf stored = body.slice(batch.bufferOffsets()[b], batch.bufferLengths()[b]);
          stored.getReferenceManager().retain();
          // A zero-length buffer of a compressed batch is an empty one, as Arrow reads it.
          buffers.add(codec != null && stored.writerIndex() > 0
              ? decompress(codec, batch, b, stored) : stored);
        }
      }
      if (batch.compressed()) {
        checkOffsets(batch, buffers);
      }
      try (ArrowRecordBatch arrowBatch = new ArrowRecordBatch(batch.rows(), batch.nodes(), buffers)) {
        loader.load(arrowBatch);
      }
      records.batchLoaded();
    } finally {
      buffers.forEach(ArrowBuf::close);
    }
    row = 0;
    rowsInBatch = batch.rows();
  }

  /** Buffer {@code b} of {@code batch} decompressed; releases {@code stored} either way. */
  private ArrowBuf decompress(BufferCodec codec, BatchRef batch, int b, ArrowBuf stored)
      throws CorruptShuffleDataException {
    try {
      return codec.decompress(allocator, stored);
    } catch (BufferCodec.CorruptBufferException e) {
      throw SegmentParser.corrupt(batch.messageStart(), "record batch buffer " + b + " ("
          + batch.bufferLengths()[b] + " bytes at body offset " + batch.bufferOffsets()[b]
          + "): " + e.getMessage(), e);
    }
  }

  /** The offsets rule of {@link BatchValidator} on the decompressed offsets of every column. */
  private void checkOffsets(BatchRef batch, List<ArrowBuf> buffers)
      throws CorruptShuffleDataException {
    int firstBuffer = 0;
    for (int c = 0; c < layout.columnCount(); c++) {
      ColumnKind kind = layout.column(c);
      if (kind.isVariableWidth()) {
        int length = (int) batch.uncompressedLengths()[firstBuffer + 1];
        ByteBuffer offsets = buffers.get(firstBuffer + 1).nioBuffer(0, length)
            .order(ByteOrder.LITTLE_ENDIAN);
        BatchValidator.checkOffsets(offsets, 0, batch.rows(),
            batch.uncompressedLengths()[firstBuffer + 2], c, batch.messageStart());
      }
      firstBuffer += kind.bufferCount();
    }
  }

  @Override
  public void close() {
    root.close();
    try {
      segment.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
