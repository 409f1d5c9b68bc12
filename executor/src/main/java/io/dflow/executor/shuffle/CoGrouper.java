package io.dflow.executor.shuffle;

import io.dflow.api.Encoder;
import io.dflow.api.Pair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The records of one partition of several key/value inputs grouped by key: one record
 * {@code Pair(key, [values of input 0, values of input 1, ...])} per key found in any input.
 * Each input goes through its own {@link ExternalSorter} in key-hash order (so in bounded memory,
 * spilling as it must); the sorted inputs are then walked together one hash at a time, and only
 * the values of the keys of one hash are held at once.
 */
public final class CoGrouper {
  private CoGrouper() {}

  /**
   * @param inputs each input's records
   * @param encoders each input's record layout, in the same order
   */
  public static Iterator<Object> group(List<Iterator<Object>> inputs, List<Encoder<?>> encoders,
      SortSettings settings) throws IOException {
    List<Iterator<Object>> sorted = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      ExternalSorter sorter = new ExternalSorter(settings, encoders.get(i), 1, null, RecordOrder.GROUPING,
          null, false);
      settings.closeAtEnd().accept(sorter);
      Iterator<Object> in = inputs.get(i);
      while (in.hasNext()) {
        sorter.insert(in.next());
      }
      sorted.add(sorter.partition(0));
    }
    return walk(sorted);
  }

  /** Groups inputs already in key-hash order; each record {@code Pair(key, [values of each input])}. */
  static Iterator<Object> walk(List<Iterator<Object>> hashOrdered) {
    return new HashWalk(hashOrdered.stream().map(PeekingInput::new).toList());
  }

  /** A sorted input with its next record looked at. */
  private static final class PeekingInput {
    private final Iterator<Object> records;
    private Pair<?, ?> head;
    private long headHash;

    PeekingInput(Iterator<Object> records) {
      this.records = records;
      advance();
    }

    void advance() {
      head = records.hasNext() ? Merger.asPair(records.next()) : null;
      headHash = head == null ? 0 : RecordOrder.GROUPING.prefix(head.key());
    }
  }

  /** Walks the inputs in step: for the smallest hash at their heads, groups every input's records of that hash. */
  private static final class HashWalk extends BucketIterator {
    private final List<PeekingInput> inputs;

    HashWalk(List<PeekingInput> inputs) {
      this.inputs = inputs;
    }

    @Override
    List<Object> nextBucket() {
      PeekingInput lowest = null;
      for (PeekingInput in : inputs) {
        if (in.head != null && (lowest == null
            || RecordOrder.GROUPING.compare(null, in.headHash, null, lowest.headHash) < 0)) {
          lowest = in;
        }
      }
      if (lowest == null) {
        return null;
      }
      long hash = lowest.headHash;
      Object firstKey = lowest.head.key();
      List<List<Object>> firstSides = emptySides(inputs.size());
      Map<Object, List<List<Object>>> others = null; // keys of the same hash: rare
      for (int i = 0; i < inputs.size(); i++) {
        PeekingInput in = inputs.get(i);
        while (in.head != null && in.headHash == hash) {
          Object key = in.head.key();
          if (Objects.equals(key, firstKey)) {
            firstSides.get(i).add(in.head.value());
          } else {
            if (others == null) {
              others = new LinkedHashMap<>();
            }
            others.computeIfAbsent(key, k -> emptySides(inputs.size())).get(i).add(in.head.value());
          }
          in.advance();
        }
      }
      if (others == null) {
        return List.of(Pair.of(firstKey, firstSides));
      }
      List<Object> bucket = new ArrayList<>(pairs(others));
      bucket.add(0, Pair.of(firstKey, firstSides));
      return bucket;
    }
  }

  private static List<List<Object>> emptySides(int n) {
    List<List<Object>> sides = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sides.add(new ArrayList<>());
    }
    return sides;
  }
}
