package io.dflow.streaming;

import io.dflow.api.KeyComparator;
import io.dflow.api.Pair;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.plan.TaskScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.Reducer;

/**
 * A Java {@code -reducer} or {@code -combiner} class run over sorted pairs, as Hadoop runs one:
 * configured with the job's settings, {@code reduce} once per key with an iterator over that
 * key's values (keys that the job's order calls equal are one key, as under Hadoop's grouping
 * comparator), {@code close} at the end. Key and values are {@link Text}; the value object is
 * reused from value to value, as in Hadoop. A reducer's collected pairs are written as lines
 * ({@code TextOutputFormat}'s), a combiner's go on to the shuffle.
 *
 * @param outputSeparator null: collected pairs go to the shuffle (a combiner); else lines joined by it
 * @param <R> a {@code Pair<byte[], byte[]>} or a line
 */
record JavaReducer<R>(String role, String className, Map<String, String> settings, KeyComparator<Object> order,
    byte[] outputSeparator) implements PartitionFunction<Pair<byte[], byte[]>, R> {

  @Override
  @SuppressWarnings("unchecked")
  public Iterator<R> apply(Iterator<Pair<byte[], byte[]>> sorted) {
    Reducer<Object, Object, Object, Object> reducer = HadoopClasses.instantiate(className, Reducer.class, settings);
    Collected<R> out = (Collected<R>) (outputSeparator == null ? Collected.pairs() : Collected.lines(outputSeparator));
    TaskReporter reporter = new TaskReporter(role, TaskScope.current());
    Values values = new Values(sorted, order);
    return new Iterator<>() {
      private boolean closed;

      @Override
      public boolean hasNext() {
        try {
          while (out.isEmpty()) {
            if (values.nextKey()) {
              reducer.reduce(values.key, values, out, reporter);
            } else if (!closed) {
              closed = true;
              reducer.close();
            } else {
              return false;
            }
          }
          return true;
        } catch (IOException e) {
          throw new UncheckedIOException("-" + role + " " + className + " failed: " + e.getMessage(), e);
        }
      }

      @Override
      public R next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return out.take();
      }
    };
  }

  /** The values of one key at a time, read from the sorted pairs as the reducer asks for them. */
  private static final class Values implements Iterator<Object> {
    private final Iterator<Pair<byte[], byte[]>> sorted;
    private final KeyComparator<Object> order;
    final Text key = new Text();
    private final Text value = new Text();
    private byte[] keyBytes;
    /** The first pair not yet handed out, or null. */
    private Pair<byte[], byte[]> ahead;

    Values(Iterator<Pair<byte[], byte[]>> sorted, KeyComparator<Object> order) {
      this.sorted = sorted;
      this.order = order;
    }

    /** Skips what the reducer left of the current key's values, and moves to the next key. */
    boolean nextKey() {
      while (hasNext()) {
        next();
      }
      if (ahead == null && sorted.hasNext()) {
        ahead = sorted.next();
      }
      if (ahead == null) {
        return false;
      }
      keyBytes = ahead.key();
      key.set(keyBytes);
      return true;
    }

    @Override
    public boolean hasNext() {
      if (keyBytes == null) {
        return false;
      }
      if (ahead == null && sorted.hasNext()) {
        ahead = sorted.next();
      }
      if (ahead != null && order.compare(keyBytes, ahead.key()) == 0) {
        return true;
      }
      return false;
    }

    @Override
    public Object next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      value.set(ahead.value());
      ahead = null;
      return value;
    }
  }
}
