package io.dflow.api.io;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The function of {@code Dataset.mapBatches}: called once per Arrow record batch of a partition,
 * it returns the records that batch becomes (often one, such as a partial sum).
 *
 * <p>Ownership: the batch belongs to the engine. It is valid during the call and while the
 * returned iterator is read, and is then released or refilled with the next batch: do not close
 * it, and do not keep it, its vectors or their buffers past that (copy values out, or transfer
 * vectors to an allocator of your own). Do not change its contents. A batch read from an Arrow
 * or Parquet file has the file's columns (those the source names, in that order); any other
 * input is packed into batches of the columns its encoder lays records out in: {@code value}
 * for a scalar, {@code key} and {@code value} for a pair.
 */
@FunctionalInterface
public interface BatchFunction<R> extends Serializable {
  Iterator<R> apply(VectorSchemaRoot batch) throws Exception;
}
