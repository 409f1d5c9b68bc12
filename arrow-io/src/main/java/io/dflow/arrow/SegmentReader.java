package io.dflow.arrow;

import io.dflow.api.Encoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
 * and nothing larger than one batch body (at most the segment's size) is ever allocated.
 * Batches are then copied into Arrow memory from the caller's allocator one at a time, the
 * previous one released. What can still fail while iterating is the content of a
 * Java-serialised value (refused by the filter, unknown class, damaged): {@link #next()} then
 * throws an {@link UncheckedIOException} wrapping the {@link IOException}; and an allocator over
 * its limit throws Arrow's {@code OutOfMemoryException}.
 *
 * <p>The caller must leave the segment buffer unchanged until the reader is closed, and close
 * it (try-with-resources) to return its memory.
 */
public final class SegmentReader implements Iterator<Object>, AutoCloseable {
  private final ByteBuffer segment;
  private final List<BatchRef> batches;
  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final VectorLoader loader;
  private final RecordReader records;
  private final long recordCount;
  private int nextBatch;
  private int row;
  private int rowsInBatch;
  private long recordsRead;

  private SegmentReader(ByteBuffer segment, List<BatchRef> batches, RecordLayout layout,
      BufferAllocator allocator, DeserializationPolicy policy) {
    this.segment = segment;
    this.batches = batches;
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
    Objects.requireNonNull(allocator, "allocator");
    Objects.requireNonNull(policy, "policy");
    RecordLayout layout = RecordLayout.of(encoder);
    ByteBuffer bytes = segment.slice();
    List<BatchRef> batches = SegmentParser.parse(bytes, layout);
    return new SegmentReader(bytes, batches, layout, allocator, policy);
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

  @Override
  public boolean hasNext() {
    while (row == rowsInBatch) {
      if (nextBatch == batches.size()) {
        root.clear(); // the last batch's memory goes back before close
        return false;
      }
      load(batches.get(nextBatch++));
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

  private void load(BatchRef batch) {
    try (ArrowBuf body = allocator.buffer(batch.bodyLength())) {
      body.setBytes(0, segment.slice(batch.bodyStart(), batch.bodyLength()));
      List<ArrowBuf> buffers = new ArrayList<>(batch.bufferOffsets().length);
      for (int b = 0; b < batch.bufferOffsets().length; b++) {
        buffers.add(body.slice(batch.bufferOffsets()[b], batch.bufferLengths()[b]));
      }
      try (ArrowRecordBatch arrowBatch = new ArrowRecordBatch(batch.rows(), batch.nodes(), buffers)) {
        loader.load(arrowBatch);
      }
    }
    row = 0;
    rowsInBatch = batch.rows();
  }

  @Override
  public void close() {
    root.close();
  }
}
