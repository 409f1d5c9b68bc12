package io.dflow.executor.shuffle;

import io.dflow.api.Pair;
import io.dflow.api.plan.ShuffleSpec;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * Merges the key/value records of one reduce partition by the shuffle's kind: one aggregate per
 * key, all values of a key in a list, sorted by key (each through an {@link ExternalSorter}, so in
 * bounded memory), or as they come (streamed, nothing held). The same merge serves a partition
 * fetched from map outputs and one that is already where it must be (a wide step over data
 * already partitioned its way), which differ only in what an aggregation receives.
 */
public final class Merger {
  private Merger() {}

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
    RecordOrder order = spec.kind() == ShuffleSpec.Kind.SORT
        ? RecordOrder.byKey(spec.order(), spec.keyEncoder()) : RecordOrder.GROUPING;
    ExternalSorter sorter = new ExternalSorter(settings, spec.recordEncoder(), 1, null, order,
        spec.kind() == ShuffleSpec.Kind.AGGREGATE ? spec.aggregator() : null, aggregatesIn);
    settings.closeAtEnd().accept(sorter);
    while (records.hasNext()) {
      sorter.insert(records.next());
    }
    Iterator<Object> sorted = sorter.partition(0);
    if (spec.kind() != ShuffleSpec.Kind.GROUP) {
      return sorted;
    }
    Iterator<Object> grouped = CoGrouper.walk(List.of(sorted));
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return grouped.hasNext();
      }

      @Override
      public Object next() {
        Pair<?, ?> keyAndSides = (Pair<?, ?>) grouped.next();
        return Pair.of(keyAndSides.key(), ((List<?>) keyAndSides.value()).get(0));
      }
    };
  }

  static Pair<?, ?> asPair(Object record) {
    if (record instanceof Pair<?, ?> pair) {
      return pair;
    }
    throw new IllegalArgumentException("a wide step needs key/value records (io.dflow.api.Pair), got "
        + (record == null ? "null" : record.getClass().getName()));
  }
}
