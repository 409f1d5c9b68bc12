package io.dflow.executor.shuffle;

import io.dflow.api.plan.ShuffleSpec;
import io.dflow.arrow.ShuffleWriteResult;
import io.dflow.planner.StageOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The map side of a shuffle: sends each key/value record to its reduce partition through an
 * {@link ExternalSorter} (aggregating the values of a key right away for an aggregation: the
 * combiner), which spills to disk when the task's execution memory runs short, then writes all
 * partitions as one Arrow shuffle file with an index, compressed with the task's codec
 * ({@link SortSettings#compression()}, as for its spill files).
 */
public final class MapOutputWriter {
  private MapOutputWriter() {}

  /** Writes map task {@code mapIndex}'s output for {@code write}, as attempt {@code taskId}. */
  public static ShuffleWriteResult write(ShuffleStore store, int mapIndex, long taskId,
      StageOutput.ShuffleWrite write, Iterator<Object> records, BufferAllocator allocator, SortSettings settings)
      throws IOException {
    ShuffleSpec spec = write.spec();
    if (spec.partitioner() == null) {
      throw new IllegalStateException("shuffle " + write.shuffle() + " has no partitioner yet");
    }
    int n = spec.numPartitions();
    try (ExternalSorter sorter = new ExternalSorter(settings, spec.recordEncoder(), n, spec.partitioner(),
        RecordOrder.of(spec), spec.combinesMapSide() ? spec.aggregator() : null, false)) {
      while (records.hasNext()) {
        sorter.insert(records.next());
      }
      return store.writeMapOutput(write.shuffle(), mapIndex, taskId, spec.recordEncoder(), n, p -> {
        try {
          return sorter.partition(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, allocator, settings.compression());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
