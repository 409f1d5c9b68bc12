package io.dflow.executor.shuffle;

import io.dflow.api.KeyOrder;
import io.dflow.api.Pair;
import io.dflow.api.plan.ShuffleSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Merges the key/value records of one reduce partition by the shuffle's kind: one aggregate per
 * key, all values of a key in a list, sorted by key, or as they come. The same merge serves a
 * partition fetched from map outputs and one that is already where it must be (a wide step over
 * data already partitioned its way), which differ only in what an aggregation receives.
 */
public abstract class Merger {
  /** A merger of what map tasks wrote: for an aggregation, partial aggregates. */
  public static Merger ofShuffle(ShuffleSpec spec) {
    return of(spec, true);
  }

  /** A merger of plain records: for an aggregation, values. */
  public static Merger inPlace(ShuffleSpec spec) {
    return of(spec, false);
  }

  private static Merger of(ShuffleSpec spec, boolean aggregatesIn) {
    return switch (spec.kind()) {
      case AGGREGATE -> new Aggregating(spec, aggregatesIn);
      case GROUP -> new Grouping();
      case SORT -> new Sorting(spec.order());
      case PARTITION -> new Listing();
    };
  }

  abstract void add(Pair<?, ?> pair);

  abstract Iterator<Object> result();

  /** Adds one record (which must be a pair). */
  public final void addRecord(Object record) {
    add(asPair(record));
  }

  /** The merged records of {@code records}. */
  public final Iterator<Object> mergeAll(Iterator<Object> records) {
    while (records.hasNext()) {
      add(asPair(records.next()));
    }
    return result();
  }

  static Pair<?, ?> asPair(Object record) {
    if (record instanceof Pair<?, ?> pair) {
      return pair;
    }
    throw new IllegalArgumentException("a wide step needs key/value records (io.dflow.api.Pair), got "
        + (record == null ? "null" : record.getClass().getName()));
  }

  private static final class Aggregating extends Merger {
    private final Combiner values;
    private final boolean aggregatesIn;

    Aggregating(ShuffleSpec spec, boolean aggregatesIn) {
      this.values = Combiner.of(spec.valueEncoder(), spec.aggregator(), 16);
      this.aggregatesIn = aggregatesIn;
    }

    @Override
    void add(Pair<?, ?> pair) {
      if (aggregatesIn) {
        values.addAggregate(pair.key(), pair.value());
      } else {
        values.addValue(pair.key(), pair.value());
      }
    }

    @Override
    Iterator<Object> result() {
      List<Object> pairs = new ArrayList<>(values.size());
      values.forEach((key, value) -> pairs.add(Pair.of(key, value)));
      return pairs.iterator();
    }
  }

  private static final class Grouping extends Merger {
    private final Map<Object, List<Object>> groups = new HashMap<>();

    @Override
    void add(Pair<?, ?> pair) {
      groups.computeIfAbsent(pair.key(), k -> new ArrayList<>()).add(pair.value());
    }

    @Override
    Iterator<Object> result() {
      return groups.entrySet().stream().map(e -> (Object) Pair.of(e.getKey(), e.getValue())).iterator();
    }
  }

  private static class Listing extends Merger {
    final List<Object> pairs = new ArrayList<>();

    @Override
    void add(Pair<?, ?> pair) {
      pairs.add(pair);
    }

    @Override
    Iterator<Object> result() {
      return pairs.iterator();
    }
  }

  private static final class Sorting extends Listing {
    private final KeyOrder order;

    Sorting(KeyOrder order) {
      this.order = order;
    }

    @Override
    Iterator<Object> result() {
      pairs.sort((a, b) -> order.compare(((Pair<?, ?>) a).key(), ((Pair<?, ?>) b).key()));
      return pairs.iterator();
    }
  }
}
