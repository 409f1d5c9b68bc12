package io.dflow.executor.shuffle;

import io.dflow.api.Pair;
import io.dflow.api.plan.ShuffleSpec;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * Merges the key/value records of one reduce partition by the shuffle's kind: one aggregate per
 * key, all values of a key (streamed when they do not fit: {@link StreamedGroups}), sorted by key (each through an {@link ExternalSorter}, so in
 * bounded memory), or as they come (streamed, nothing held). The same merge serves a partition
 * fetched from map outputs and one that is already where it must be (a wide step over data
 * already partitioned its way), which differ only in what an aggregation receives.
 */
public final class Merger {
  private Merger() {}

  /**
   * Segments a reduce task merges directly, at most; with more, it sorts their records again
   * (spilling as it must) rather than hold a decoded batch of each at once.
   */
  static final int MAX_MERGE_SEGMENTS = 64;

  /**
   * The merged records of a reduce partition read from map outputs. A sort or a grouping whose
   * segments can all be open at once is a k-way merge of them (each map task sorted its
   * output), holding nothing but a batch per segment; otherwise, and for aggregations (one hash
   * table), as {@link #merge}.
   */
  public static Iterator<Object> mergeFetched(ShuffleSpec spec, ShuffleReader fetched, SortSettings settings)
      throws IOException {
    if (spec.kind() == ShuffleSpec.Kind.SORT || spec.kind() == ShuffleSpec.Kind.GROUP) {
      List<Iterator<Object>> segments = fetched.allSegments(MAX_MERGE_SEGMENTS);
      if (segments != null) {
        MergeIterator merged = new MergeIterator(segments, RecordOrder.of(spec));
        return spec.kind() == ShuffleSpec.Kind.GROUP ? new StreamedGroups(merged, settings) : merged;
      }
    }
    return merge(spec, true, fetched, settings);
  }

  /**
   * The merged records of {@code records}.
   *
   * @param aggregatesIn for an aggregation: whether the records carry aggregates (what map tasks
   *     wrote) rather than values
   */
  public static Iterator<Object> merge(ShuffleSpec spec, boolean aggregatesIn, Iterator<Object> records,
      SortSettings settings) throws IOException {
    if (spec.kind() == ShuffleSpec.Kind.PARTITION) {
      return records;
    }
    ExternalSorter sorter = new ExternalSorter(settings, spec.recordEncoder(), 1, null, RecordOrder.of(spec),
        spec.kind() == ShuffleSpec.Kind.AGGREGATE ? spec.aggregator() : null, aggregatesIn);
    settings.closeAtEnd().accept(sorter);
    while (records.hasNext()) {
      sorter.insert(records.next());
    }
    Iterator<Object> sorted = sorter.partition(0);
    return spec.kind() == ShuffleSpec.Kind.GROUP ? new StreamedGroups(sorted, settings) : sorted;
  }

  static Pair<?, ?> asPair(Object record) {
    if (record instanceof Pair<?, ?> pair) {
      return pair;
    }
    throw new IllegalArgumentException("a wide step needs key/value records (io.dflow.api.Pair), got "
        + (record == null ? "null" : record.getClass().getName()));
  }
}
