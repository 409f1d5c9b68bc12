package io.dflow.formats;

import io.dflow.api.Encoder;
import io.dflow.arrow.BatchRows;
import io.dflow.hdfs.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A split of a columnar format, read a record batch at a time into Arrow vectors: as records of
 * the source's encoder (one object per row), or as the batches themselves for
 * {@code mapBatches} ({@link #nextBatch()}); a reader is used one way or the other. Subclasses
 * load the batches. Not thread safe.
 */
public abstract class ColumnarSplit implements SplitRecords {
  private final Encoder<?> encoder;
  private final Runnable progress;
  private BatchRows rows;
  private List<FieldVector> bound;
  private int row;
  private int rowCount;
  private VectorSchemaRoot batch;

  ColumnarSplit(Encoder<?> encoder, Runnable progress) {
    this.encoder = encoder;
    this.progress = progress;
  }

  /**
   * Loads the next batch of the split into {@link #vectors()}.
   *
   * @return its row count, or -1 at the end of the split
   */
  abstract int loadNext() throws IOException;

  /** The vectors the current batch is loaded in, one per field of the encoder, in order. */
  abstract List<FieldVector> vectors();

  /**
   * The next batch: the source's columns, in order. It stays valid until the next call or
   * {@link #close()}; null at the end of the split.
   */
  public VectorSchemaRoot nextBatch() {
    int n = load();
    if (n < 0) {
      return null;
    }
    if (batch == null || bound != vectors()) {
      bound = vectors();
      batch = new VectorSchemaRoot(bound);
    }
    batch.setRowCount(n);
    return batch;
  }

  @Override
  public boolean hasNext() {
    while (row >= rowCount) {
      int n = load();
      if (n < 0) {
        return false;
      }
      if (rows == null || bound != vectors()) {
        bound = vectors();
        try {
          rows = BatchRows.bind(bound, encoder);
        } catch (IllegalArgumentException e) {
          throw failure(e);
        }
      }
      row = 0;
      rowCount = n;
    }
    return true;
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException("end of split");
    }
    try {
      return rows.read(row++);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int load() {
    try {
      int n = loadNext();
      progress.run();
      return n;
    } catch (IOException e) {
      throw failure(e);
    }
  }

  private UncheckedIOException failure(Exception e) {
    String message = "cannot read " + describePosition() + ": " + e.getMessage();
    boolean data = e instanceof BadInputException || e instanceof IllegalArgumentException;
    return new UncheckedIOException(data ? new BadInputException(message, e) : new IOException(message, e));
  }
}
