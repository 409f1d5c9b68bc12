package io.dflow.executor.shuffle;

import io.dflow.api.Pair;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.planner.TaskInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The reduce side of a shuffle: fetches this partition's segment of every map output (all
 * requests in flight at once), decodes them, and merges by the shuffle's kind: values of a key
 * reduced, grouped into a list, sorted by key, or passed through.
 */
public final class ShuffleReader {
  /** Turns one fetched segment into records. */
  @FunctionalInterface
  public interface SegmentDecoder {
    void decode(byte[] segment, java.util.function.Consumer<Object> sink) throws IOException;
  }

  private ShuffleReader() {}

  /** The merged records of {@code input}'s partition, and the bytes fetched for it. */
  public record Merged(Iterator<Object> records, long bytesFetched) {}

  public static Merged read(int job, TaskInput.ReadShuffle input, List<MapOutputLocation> maps,
      ShuffleFetcher fetcher, SegmentDecoder decoder) throws IOException {
    List<CompletableFuture<byte[]>> pending = new ArrayList<>(maps.size());
    for (MapOutputLocation map : maps) {
      pending.add(fetcher.fetch(map,
          BlockIds.shuffle(job, input.shuffleId(), map.mapIndex(), input.partition())));
    }
    Merger merger = merger(input.spec());
    long bytes = 0;
    for (int i = 0; i < pending.size(); i++) {
      byte[] segment = await(pending.get(i), maps.get(i), input);
      bytes += segment.length;
      decoder.decode(segment, record -> merger.add((Pair<?, ?>) record));
    }
    return new Merged(merger.result(), bytes);
  }

  private static byte[] await(CompletableFuture<byte[]> fetch, MapOutputLocation from,
      TaskInput.ReadShuffle input) throws IOException {
    try {
      return fetch.get();
    } catch (ExecutionException e) {
      throw new IOException("cannot fetch shuffle " + input.shuffleId() + " partition "
          + input.partition() + " of map task " + from.mapIndex() + " from executor "
          + from.executorId() + " (" + from.address() + ":" + from.port() + "): "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching shuffle blocks", e);
    }
  }

  private interface Merger {
    void add(Pair<?, ?> pair);

    Iterator<Object> result();
  }

  private static Merger merger(ShuffleSpec spec) {
    return switch (spec.kind()) {
      case REDUCE_BY_KEY -> new Reducing(spec);
      case GROUP_BY_KEY -> new Grouping();
      case SORT_BY_KEY -> new Sorting(spec.order());
      case PARTITION_BY -> new Listing();
    };
  }

  private static final class Reducing implements Merger {
    private final Combiner values;

    Reducing(ShuffleSpec spec) {
      this.values = Combiner.of(spec.valueEncoder(), spec.combiner(), 16);
    }

    @Override
    public void add(Pair<?, ?> pair) {
      values.add(pair.key(), pair.value());
    }

    @Override
    public Iterator<Object> result() {
      List<Object> pairs = new ArrayList<>(values.size());
      values.forEach((key, value) -> pairs.add(Pair.of(key, value)));
      return pairs.iterator();
    }
  }

  private static final class Grouping implements Merger {
    private final Map<Object, List<Object>> groups = new HashMap<>();

    @Override
    public void add(Pair<?, ?> pair) {
      groups.computeIfAbsent(pair.key(), k -> new ArrayList<>()).add(pair.value());
    }

    @Override
    public Iterator<Object> result() {
      return groups.entrySet().stream().map(e -> (Object) Pair.of(e.getKey(), e.getValue())).iterator();
    }
  }

  private static class Listing implements Merger {
    final List<Object> pairs = new ArrayList<>();

    @Override
    public void add(Pair<?, ?> pair) {
      pairs.add(pair);
    }

    @Override
    public Iterator<Object> result() {
      return pairs.iterator();
    }
  }

  private static final class Sorting extends Listing {
    private final Comparator<Object> order;

    Sorting(Comparator<Object> order) {
      this.order = order;
    }

    @Override
    public Iterator<Object> result() {
      pairs.sort((a, b) -> order.compare(((Pair<?, ?>) a).key(), ((Pair<?, ?>) b).key()));
      return pairs.iterator();
    }
  }
}
