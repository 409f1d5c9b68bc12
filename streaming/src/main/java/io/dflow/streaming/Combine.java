package io.dflow.streaming;

import io.dflow.api.KeyComparator;
import io.dflow.api.Pair;
import io.dflow.api.function.PartitionFunction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The {@code -combiner} of a map task, as Hadoop runs it: the mapper's pairs are gathered in a
 * buffer of about {@code bufferBytes}, sorted by key, and run through the combiner once per
 * buffer (Hadoop runs it once per spill): a child process each time ({@link ChildCombiner}) or
 * a Java class ({@link JavaReducer}); what it gives back is the task's map output. A combiner
 * may so run several times in a task, and its input never holds more than one buffer.
 */
record Combine(PartitionFunction<Pair<byte[], byte[]>, Pair<byte[], byte[]>> combiner, KeyComparator<Object> order,
    long bufferBytes) implements PartitionFunction<Pair<byte[], byte[]>, Pair<byte[], byte[]>> {
  /** Heap a buffered pair costs beyond its bytes: the pair and two arrays. */
  private static final int PAIR_OVERHEAD = 64;

  @Override
  public Iterator<Pair<byte[], byte[]>> apply(Iterator<Pair<byte[], byte[]>> input) {
    Comparator<Pair<byte[], byte[]>> byKey = (a, b) -> order.compare(a.key(), b.key());
    return new Iterator<>() {
      private Iterator<Pair<byte[], byte[]>> current;

      @Override
      public boolean hasNext() {
        while (current == null || !current.hasNext()) {
          if (!input.hasNext()) {
            return false;
          }
          List<Pair<byte[], byte[]>> buffer = new ArrayList<>();
          long bytes = 0;
          while (bytes < bufferBytes && input.hasNext()) {
            Pair<byte[], byte[]> pair = input.next();
            buffer.add(pair);
            bytes += pair.key().length + pair.value().length + PAIR_OVERHEAD;
          }
          buffer.sort(byKey); // stable: a key's values keep the mapper's order
          try {
            current = combiner.apply(buffer.iterator());
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException("the combiner failed: " + e, e);
          }
        }
        return true;
      }

      @Override
      public Pair<byte[], byte[]> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }
}
